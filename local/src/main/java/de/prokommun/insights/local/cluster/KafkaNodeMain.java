package de.prokommun.insights.local.cluster;

import de.prokommun.insights.testkit.EmbeddedKafka;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Kafka node (KRaft broker and controller) of {@code ./run-cluster} in its own JVM. Arguments:
 * {@code DATA_DIR NODE_ID BROKER_PORT CONTROLLER_PORT VOTERS REPLICATION CLUSTER_ID}, where VOTERS lists every
 * node's controller port as {@code id:port,id:port,...}. Prints {@value #READY} once the whole quorum is up.
 */
public final class KafkaNodeMain {
    static final String READY = "KAFKA NODE READY";

    private KafkaNodeMain() {}

    public static void main(String[] args) {
        if (args.length != 7) {
            System.err.println("usage: KafkaNodeMain DATA_DIR NODE_ID BROKER_PORT CONTROLLER_PORT VOTERS REPLICATION CLUSTER_ID");
            System.exit(2);
        }
        int nodeId = Integer.parseInt(args[1]);
        EmbeddedKafka.Quorum quorum = new EmbeddedKafka.Quorum(nodeId, voters(args[4]), Integer.parseInt(args[5]));
        EmbeddedKafka kafka = EmbeddedKafka.start(Path.of(args[0]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), quorum, args[6]);
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "kafka-node-stop"));
        System.out.println(READY + " " + nodeId + " " + kafka.bootstrapServers());
        System.out.flush();
    }

    static Map<Integer, Integer> voters(String list) {
        Map<Integer, Integer> voters = new LinkedHashMap<>();
        for (String voter : list.split(",")) {
            String[] idPort = voter.split(":");
            if (idPort.length != 2) throw new IllegalArgumentException("VOTERS: expected id:port, got '" + voter + "'");
            voters.put(Integer.parseInt(idPort[0]), Integer.parseInt(idPort[1]));
        }
        return voters;
    }
}
