package de.prokommun.insights.local.cluster;

import de.prokommun.insights.local.LocalPorts;
import java.nio.file.Path;

/**
 * How many nodes of each kind {@code ./run-cluster} starts and on which loopback ports. Ports are chosen free at the
 * first start and kept in the data directory: KRaft's voters, Pinot's instance names and Flink's checkpoints
 * remember addresses, so a restart must find them again.
 */
public record ClusterLayout(LocalPorts ports, int kafkaNodes, int pinotServers, int taskManagers, int ingestions) {
    /** Every listener of the cluster binds loopback: one machine, no node reachable from the network. */
    public static final String HOST = "127.0.0.1";

    /** The topology the issue asks for: 3 Kafka nodes, 2 Pinot servers, 2 TaskManagers, 2 ingestion instances. */
    public static ClusterLayout standard(Path dataDir) {
        return new ClusterLayout(LocalPorts.in(dataDir), 3, 2, 2, 2);
    }

    public int port(String name) {
        return ports.port(name);
    }

    /** Replication of Kafka's topics and of Pinot's segments: 3 and 2, or less on a smaller cluster. */
    public int kafkaReplication() {
        return Math.min(3, kafkaNodes);
    }

    public int pinotReplicas() {
        return Math.min(2, pinotServers);
    }
}
