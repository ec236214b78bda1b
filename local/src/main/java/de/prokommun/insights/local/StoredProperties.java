package de.prokommun.insights.local;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Values the local mode decides once and must find again after a restart (ports, secrets), kept as a
 * properties file in the data directory; a value is created on first use and saved at once.
 */
public final class StoredProperties {
    private final Properties values = new Properties();
    private final Path file;
    private final boolean ownerOnly;

    private StoredProperties(Path file, boolean ownerOnly) {
        this.file = file;
        this.ownerOnly = ownerOnly;
    }

    public static StoredProperties load(Path file, boolean ownerOnly) {
        StoredProperties p = new StoredProperties(file, ownerOnly);
        p.reload();
        return p;
    }

    public synchronized String getOrCreate(String name, Supplier<String> create) {
        // Another instance may have added values since: re-read, so saving never drops them.
        reload();
        String known = values.getProperty(name);
        if (known != null) return known;
        String value = create.get();
        values.setProperty(name, value);
        save();
        return value;
    }

    private void reload() {
        if (!Files.exists(file)) return;
        try (Reader r = Files.newBufferedReader(file)) {
            values.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file)) {
                values.store(w, ownerOnly ? "secrets of the local mode: never share, never commit" : "local mode");
            }
            if (ownerOnly) Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
