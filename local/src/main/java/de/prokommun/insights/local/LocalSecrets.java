package de.prokommun.insights.local;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The local mode's secrets (pseudonym HMAC key per city, noise PRF key, token key), generated at the
 * first start and kept owner-readable in the data directory. They are never printed or logged.
 */
public final class LocalSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final StoredProperties values;

    private LocalSecrets(StoredProperties values) {
        this.values = values;
    }

    public static LocalSecrets in(Path dataDir) {
        return new LocalSecrets(StoredProperties.load(dataDir.resolve("secrets.properties"), true));
    }

    /** The secret under this name, generated (32 random bytes, base64url) if it does not exist yet. */
    public String secret(String name) {
        return values.getOrCreate(name, () -> {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        });
    }
}
