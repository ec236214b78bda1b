package de.prokommun.insights.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Resolved configuration values. Precedence: explicit overrides, then system properties, then
 * environment variables ({@link ConfigKey#envName()}), then the key's default.
 */
public final class Settings {

    private final Map<String, String> overrides;
    private final Function<String, String> systemProperties;
    private final Function<String, String> environment;

    private Settings(Map<String, String> overrides, Function<String, String> systemProperties,
                     Function<String, String> environment) {
        this.overrides = Map.copyOf(overrides);
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    /** Values from system properties and the environment. */
    public static Settings fromEnvironment() {
        return new Settings(Map.of(), System::getProperty, System::getenv);
    }

    /** Only the given values and defaults (tests, embedded components). */
    public static Settings of(Map<String, String> values) {
        return new Settings(values, k -> null, k -> null);
    }

    public static Settings fromFile(Path file) {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            props.load(r);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot read: " + e.getMessage());
        }
        Map<String, String> values = new HashMap<>();
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
        return fromEnvironment().with(values);
    }

    /** A copy with more overrides; later values win. */
    public Settings with(Map<String, String> more) {
        Map<String, String> merged = new HashMap<>(overrides);
        merged.putAll(more);
        return new Settings(merged, systemProperties, environment);
    }

    public <T> Settings with(ConfigKey<T> key, T value) {
        return with(Map.of(key.name(), String.valueOf(value)));
    }

    public <T> T get(ConfigKey<T> key) {
        String raw = raw(key);
        if (raw == null) {
            if (key.defaultValue() == null) throw new ConfigException(key.name(), "required but not set (env " + key.envName() + ")");
            return key.defaultValue();
        }
        return key.parse(raw);
    }

    public boolean isSet(ConfigKey<?> key) {
        return raw(key) != null;
    }

    private String raw(ConfigKey<?> key) {
        String v = overrides.get(key.name());
        if (v == null) v = systemProperties.apply(key.name());
        if (v == null) v = environment.apply(key.envName());
        return v;
    }

    /**
     * The values set explicitly (not those from system properties, the environment or defaults): what a launcher
     * hands on to the processes it starts, in a file only their owner reads — it holds secrets.
     */
    public Map<String, String> explicitValues() {
        return overrides;
    }

    /** A printable view of the keys, with secrets masked. */
    public String describe(Collection<ConfigKey<?>> keys) {
        StringBuilder sb = new StringBuilder();
        for (ConfigKey<?> k : keys) {
            String raw = raw(k);
            Object shown = k.isSecret() ? "***" : (raw != null ? raw : k.defaultValue());
            sb.append(String.format("  %-40s = %s%n", k.name(), shown));
        }
        return sb.toString();
    }
}
