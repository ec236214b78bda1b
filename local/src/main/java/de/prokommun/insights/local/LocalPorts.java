package de.prokommun.insights.local;

import de.prokommun.insights.testkit.FreePorts;
import java.nio.file.Path;

/**
 * Ports of the local mode, chosen free at the first start and kept in the data directory: Kafka's
 * KRaft metadata and Pinot's instance names remember addresses, so a restart must find them again.
 */
public final class LocalPorts {
    private final StoredProperties ports;

    private LocalPorts(StoredProperties ports) {
        this.ports = ports;
    }

    public static LocalPorts in(Path dataDir) {
        return new LocalPorts(StoredProperties.load(dataDir.resolve("ports.properties"), false));
    }

    /** The port remembered under this name, or a new free one (remembered from now on). */
    public int port(String name) {
        return Integer.parseInt(ports.getOrCreate(name, () -> Integer.toString(FreePorts.next())));
    }
}
