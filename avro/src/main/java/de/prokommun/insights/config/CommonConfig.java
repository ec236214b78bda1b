package de.prokommun.insights.config;

import java.util.List;

/** Keys every component reads: where Kafka and Pinot are, and the topic name prefix. */
public final class CommonConfig {
    private CommonConfig() {}

    public static final ConfigKey<String> KAFKA_BOOTSTRAP = ConfigKey.string("kafka.bootstrap.servers", null,
            "Kafka bootstrap servers, host:port[,host:port]");
    public static final ConfigKey<String> TOPIC_PREFIX = ConfigKey.string("topics.prefix", "prokommun.",
            "Prefix of every topic name, so several installations can share a Kafka cluster");
    public static final ConfigKey<String> PINOT_CONTROLLER = ConfigKey.string("pinot.controller", null,
            "Pinot controller host:port (no scheme)");
    public static final ConfigKey<String> PINOT_BROKER = ConfigKey.string("pinot.broker", null,
            "Pinot broker host:port (no scheme)");

    public static final ConfigKey<String> PARTICIPANTS_FILE = ConfigKey.string("participants.file", null,
            "JSON file of participants, portal and operators with the SHA-256 digests of their API keys");
    public static final ConfigKey<String> CITIES_DIR = ConfigKey.string("cities.dir", "cities",
            "Directory with one sub-directory per city: city.json, personas.json, taxonomy.json, privacy.json");
    /** The HMAC secret per city: Flink pseudonymises with it, the resident API finds a resident's own rows with it. */
    public static final ConfigKey<String> CITY_SECRETS = ConfigKey.secret("anonymise.city-secrets", null,
            "HMAC secret per city, city:secret[,city:secret]; events of a city without a secret are dead letters");

    public static final List<ConfigKey<?>> ALL = List.of(KAFKA_BOOTSTRAP, TOPIC_PREFIX, PINOT_CONTROLLER, PINOT_BROKER,
            PARTICIPANTS_FILE, CITIES_DIR, CITY_SECRETS);
}
