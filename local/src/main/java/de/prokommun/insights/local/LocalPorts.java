package de.prokommun.insights.local;

import de.prokommun.insights.testkit.FreePorts;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Ports of the local mode, chosen free at the first start and kept in the data directory: Kafka's
 * KRaft metadata and Pinot's table configs remember addresses, so a restart must find them again.
 */
final class LocalPorts {
    private final Properties ports = new Properties();
    private final Path file;

    private LocalPorts(Path file) {
        this.file = file;
    }

    static LocalPorts in(Path dataDir) {
        LocalPorts p = new LocalPorts(dataDir.resolve("ports.properties"));
        if (Files.exists(p.file)) {
            try (Reader r = Files.newBufferedReader(p.file)) {
                p.ports.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return p;
    }

    /** The port remembered under this name, or a new free one (remembered from now on). */
    int port(String name) {
        String known = ports.getProperty(name);
        if (known != null) return Integer.parseInt(known);
        int port = FreePorts.next();
        ports.setProperty(name, Integer.toString(port));
        save();
        return port;
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file)) {
                ports.store(w, "ports of the local mode");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
