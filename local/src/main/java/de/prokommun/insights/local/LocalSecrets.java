package de.prokommun.insights.local;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * The local mode's secrets (pseudonym HMAC key per city, noise PRF key), generated at the first start
 * and kept owner-readable in the data directory. They are never printed or logged.
 */
final class LocalSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Properties values = new Properties();
    private final Path file;

    private LocalSecrets(Path file) {
        this.file = file;
    }

    static LocalSecrets in(Path dataDir) {
        LocalSecrets s = new LocalSecrets(dataDir.resolve("secrets.properties"));
        if (Files.exists(s.file)) {
            try (Reader r = Files.newBufferedReader(s.file)) {
                s.values.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return s;
    }

    /** The secret under this name, generated (32 random bytes, base64url) if it does not exist yet. */
    String secret(String name) {
        String known = values.getProperty(name);
        if (known != null) return known;
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        values.setProperty(name, secret);
        save();
        return secret;
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file)) {
                values.store(w, "secrets of the local mode: never share, never commit");
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
