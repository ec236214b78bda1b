package de.prokommun.insights.resident;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/** Every configuration key of the resident API (Kafka, Pinot, cities and city secrets come from {@link CommonConfig}). */
public final class ResidentConfig {
    private ResidentConfig() {}

    public static final ConfigKey<String> HOST = ConfigKey.string("resident.http.host", "127.0.0.1",
            "Interface the resident API binds to");
    public static final ConfigKey<Integer> PORT = ConfigKey.integer("resident.http.port", 0,
            "Port of the resident API; 0 picks a free port (local mode, tests)");
    public static final ConfigKey<String> JWT_KEY = ConfigKey.secret("resident.jwt.key", null,
            "Key that verifies the portal's resident tokens: an HS256 secret of at least 32 bytes, or an RS256"
                    + " public key in PEM form (-----BEGIN PUBLIC KEY-----)");
    public static final ConfigKey<String> JWT_ISSUER = ConfigKey.string("resident.jwt.issuer", "prokommun-portal",
            "Required 'iss' claim of the portal's resident tokens");
    public static final ConfigKey<Duration> JWT_MAX_LIFETIME = ConfigKey.duration("resident.jwt.max-lifetime",
            Duration.ofHours(1), "Longest accepted token lifetime (exp - iat; without iat, exp - now). Erasures are"
                    + " remembered this long, so that every token issued before an erasure is refused (401 erased)"
                    + " until it has expired");
    public static final ConfigKey<Integer> MAX_REMEMBERED_ERASURES = ConfigKey.integer("resident.erasures.max", 100_000,
            "Erasures this instance remembers within one token lifetime to refuse older tokens (oldest forgotten first)");
    public static final ConfigKey<Duration> ERASURES_MAX_WAIT = ConfigKey.duration("resident.erasures.max-wait",
            Duration.ofSeconds(5), "How long a request waits until this instance has read every erasure written to the"
                    + " shared register (topic resident-erasures) before the request arrived; then 503 with Retry-After,"
                    + " never an answer to a token that may belong to an erased resident");
    public static final ConfigKey<String> PORTAL_PARTICIPANT = ConfigKey.string("resident.portal-participant", "portal",
            "Participant id in whose name the API reports a resident's own changes (as the portal would)");
    public static final ConfigKey<String> AUDIT_LOG = ConfigKey.string("resident.audit-log", "data/query/audit.log",
            "The query service's audit log (its query.privacy.audit-log), read to tell a resident which"
                    + " participants asked questions that could have included them");
    /** Declared in {@link CommonConfig}: every component reads the same city configuration. */
    public static final ConfigKey<String> CITIES_DIR = CommonConfig.CITIES_DIR;
    /** Declared in {@link CommonConfig}: the same secrets Flink pseudonymises with. */
    public static final ConfigKey<String> CITY_SECRETS = CommonConfig.CITY_SECRETS;
    public static final ConfigKey<Duration> PINOT_TIMEOUT = ConfigKey.duration("resident.pinot.timeout",
            Duration.ofSeconds(10), "How long one Pinot query may take before the request fails with 503");
    public static final ConfigKey<Duration> KAFKA_TIMEOUT = ConfigKey.duration("resident.kafka.delivery-timeout",
            Duration.ofSeconds(10), "How long a change may wait for Kafka's acknowledgement before it fails with 503");
    public static final ConfigKey<Integer> MAX_BODY_BYTES = ConfigKey.integer("resident.request.max-body-bytes",
            16 * 1024, "Largest accepted request body; larger bodies get 413");
    public static final ConfigKey<Integer> MAX_RECORDS = ConfigKey.integer("resident.records.max", 100_000,
            "Most records returned for one person; a person with more gets 503 instead of a silently cut list");
    public static final ConfigKey<Integer> MAX_PENDING_REQUESTS = ConfigKey.integer("resident.requests.max", 100_000,
            "Change requests whose status this instance remembers (oldest forgotten first)");

    public static final ConfigKey<Boolean> AUDIT_REFUSALS = ConfigKey.bool("resident.audit.refusals", true,
            "Write every refused request (401, 403, 400, 413, 429 …) to the topic ingestion-refusals, which the query"
                    + " service reads into the operator's audit of refusals (route pattern, reason without the values"
                    + " sent, fingerprint; never the token or a resident reference); false only for tests without Kafka");

    public static List<ConfigKey<?>> all() {
        return List.of(HOST, PORT, JWT_KEY, JWT_ISSUER, JWT_MAX_LIFETIME, MAX_REMEMBERED_ERASURES, ERASURES_MAX_WAIT, PORTAL_PARTICIPANT, AUDIT_LOG, CITIES_DIR, CITY_SECRETS,
                CommonConfig.KAFKA_BOOTSTRAP, CommonConfig.TOPIC_PREFIX, CommonConfig.PINOT_BROKER, PINOT_TIMEOUT,
                KAFKA_TIMEOUT, MAX_BODY_BYTES, MAX_RECORDS, MAX_PENDING_REQUESTS, AUDIT_REFUSALS);
    }
}
