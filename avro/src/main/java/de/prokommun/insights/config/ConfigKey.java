package de.prokommun.insights.config;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration key, declared once with its type, default and description. Components list their
 * keys in a {@code *Config} class; {@link Settings} resolves values and reports bad ones by key name.
 */
public final class ConfigKey<T> {

    private final String name;
    private final Class<T> type;
    private final T defaultValue;
    private final String description;
    private final boolean secret;
    private final Function<String, T> parser;

    private ConfigKey(String name, Class<T> type, T defaultValue, String description, boolean secret,
                      Function<String, T> parser) {
        this.name = Objects.requireNonNull(name);
        this.type = type;
        this.defaultValue = defaultValue;
        this.description = Objects.requireNonNull(description);
        this.secret = secret;
        this.parser = parser;
    }

    public static ConfigKey<String> string(String name, String defaultValue, String description) {
        return new ConfigKey<>(name, String.class, defaultValue, description, false, s -> s);
    }

    /** A value that must never be logged or printed (HMAC secrets, signing keys). */
    public static ConfigKey<String> secret(String name, String defaultValue, String description) {
        return new ConfigKey<>(name, String.class, defaultValue, description, true, s -> s);
    }

    public static ConfigKey<Integer> integer(String name, Integer defaultValue, String description) {
        return new ConfigKey<>(name, Integer.class, defaultValue, description, false, s -> Integer.valueOf(s.trim()));
    }

    public static ConfigKey<Long> longKey(String name, Long defaultValue, String description) {
        return new ConfigKey<>(name, Long.class, defaultValue, description, false, s -> Long.valueOf(s.trim()));
    }

    public static ConfigKey<Double> decimal(String name, Double defaultValue, String description) {
        return new ConfigKey<>(name, Double.class, defaultValue, description, false, s -> Double.valueOf(s.trim()));
    }

    public static ConfigKey<Boolean> bool(String name, Boolean defaultValue, String description) {
        return new ConfigKey<>(name, Boolean.class, defaultValue, description, false, ConfigKey::parseBoolean);
    }

    /** ISO-8601 ("PT5S") or a number with a unit suffix: 500ms, 5s, 2m, 1h, 7d. */
    public static ConfigKey<Duration> duration(String name, Duration defaultValue, String description) {
        return new ConfigKey<>(name, Duration.class, defaultValue, description, false, ConfigKey::parseDuration);
    }

    public String name() { return name; }
    public Class<T> type() { return type; }
    public T defaultValue() { return defaultValue; }
    public String description() { return description; }
    public boolean isSecret() { return secret; }

    /** Environment variable form: "kafka.bootstrap.servers" becomes PK_KAFKA_BOOTSTRAP_SERVERS. */
    public String envName() {
        return "PK_" + name.toUpperCase().replace('.', '_').replace('-', '_');
    }

    T parse(String raw) {
        try {
            return parser.apply(raw);
        } catch (RuntimeException e) {
            throw new ConfigException(name, "expected " + type.getSimpleName().toLowerCase()
                    + " but got '" + (secret ? "***" : raw) + "'");
        }
    }

    private static Boolean parseBoolean(String s) {
        String v = s.trim().toLowerCase();
        if (v.equals("true") || v.equals("false")) return Boolean.valueOf(v);
        throw new IllegalArgumentException(s);
    }

    static Duration parseDuration(String s) {
        String v = s.trim().toLowerCase();
        if (v.startsWith("p")) return Duration.parse(s.trim().toUpperCase());
        if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        switch (v.charAt(v.length() - 1)) {
            case 's': return Duration.ofSeconds(n);
            case 'm': return Duration.ofMinutes(n);
            case 'h': return Duration.ofHours(n);
            case 'd': return Duration.ofDays(n);
            default: throw new IllegalArgumentException(s);
        }
    }

    @Override
    public String toString() { return name; }
}
