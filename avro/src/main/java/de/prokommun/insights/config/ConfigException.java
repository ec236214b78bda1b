package de.prokommun.insights.config;

/** A configuration value that is missing or malformed; the message names the key. */
public final class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String reason) {
        super("configuration key '" + key + "': " + reason);
        this.key = key;
    }

    public String key() { return key; }
}
