package de.prokommun.insights.testkit;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topic;
import de.prokommun.insights.contract.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) running in this JVM, bound
 * to loopback only. Used by integration tests and the local mode; a restart on the same data directory keeps
 * every topic and record.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    /**
     * How long the broker keeps a transactional id after its last transaction ended. Flink's Kafka sinks name every
     * checkpoint's transaction anew (one name per checkpoint and writer: 56 a second for the local mode's 28 writers
     * at 500 ms checkpoints), and at Kafka's default of 7 days the broker's heap and its transaction log kept each
     * of them a week. An hour is safe: no name is used twice, and an open transaction is aborted by its timeout
     * ({@code flink.kafka.transaction-timeout}, 60 s) long before its name could expire.
     */
    public static final Duration TRANSACTIONAL_ID_EXPIRATION = Duration.ofHours(1);
    /** How often the broker removes expired transactional ids (Kafka's default is 1 h). */
    public static final Duration EXPIRED_TRANSACTION_CLEANUP_INTERVAL = Duration.ofMinutes(10);
    /**
     * How long each partition keeps a producer's sequence state after its last write. Every new transaction name gets a
     * new producer id, and at Kafka's default of a day each partition a writer touched kept an entry per checkpoint
     * (134,524 after 73 minutes of the soak, 2026-12-07). An hour is safe for the same reasons as above, and an idempotent
     * producer (the ingestion's) that was idle longer starts a new sequence when it writes again (Kafka since 2.5).
     */
    public static final Duration PRODUCER_ID_EXPIRATION = Duration.ofHours(1);
    private static final int NODE_ID = 1;
    private static final Quorum SINGLE = new Quorum(NODE_ID, Map.of(), 1);
    private static final String BROKER_LISTENER = "BROKER";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String HOST = "127.0.0.1";

    /**
     * This node's place in a quorum of KRaft nodes (each broker and controller): its id, every voter's controller
     * port by node id (empty: this node alone) and the replication factor of the internal and registry topics (with
     * {@code min.insync.replicas} one less, at least 1).
     */
    public record Quorum(int nodeId, Map<Integer, Integer> voterControllerPorts, int replication) {
        public Quorum {
            voterControllerPorts = Map.copyOf(voterControllerPorts);
            if (replication < 1) throw new IllegalArgumentException("replication: must be at least 1, was " + replication);
        }

        int nodes() {
            return voterControllerPorts.isEmpty() ? 1 : voterControllerPorts.size();
        }

        int minInSync() {
            return Math.max(1, replication - 1);
        }

        String voters(int ownControllerPort) {
            if (voterControllerPorts.isEmpty()) return nodeId + "@" + HOST + ":" + ownControllerPort;
            return voterControllerPorts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + "@" + HOST + ":" + e.getValue()).collect(java.util.stream.Collectors.joining(","));
        }
    }

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Quorum quorum;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Quorum quorum) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.quorum = quorum;
    }

    /** A broker on free loopback ports. */
    public static EmbeddedKafka start(Path dataDir) {
        return start(dataDir, FreePorts.next(), FreePorts.next());
    }

    /**
     * A broker on the given ports. A data directory that already holds a formatted log is reused as it is,
     * so the topics and records of an earlier run survive.
     */
    public static EmbeddedKafka start(Path dataDir, int brokerPort, int controllerPort) {
        return start(dataDir, brokerPort, controllerPort, SINGLE, null);
    }

    /**
     * One node of a multi-node KRaft cluster ({@code ./run-cluster}: one per process). All nodes of a cluster must be
     * formatted with the same {@code clusterId}; the node waits until every node of the quorum is up.
     */
    public static EmbeddedKafka start(Path dataDir, int brokerPort, int controllerPort, Quorum quorum, String clusterId) {
        Path logDir = dataDir.toAbsolutePath().resolve("kafka-logs");
        KafkaConfig config = KafkaConfig.fromProps(serverProperties(logDir, brokerPort, controllerPort, quorum), false);
        formatIfNew(logDir, config, quorum.nodeId(), clusterId);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        String bootstrap = HOST + ":" + brokerPort;
        EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap, quorum);
        try {
            kafka.awaitReady();
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        LOG.info("Embedded Kafka up at {} (data in {})", bootstrap, logDir);
        return kafka;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Creates every topic of the registry with the given partition count and the configuration of its retention class.
     * Topics that exist already keep their partitions; their configuration is set to the class's (so a local mode
     * started on an older data directory gets, e.g., the bounded compaction lag too).
     */
    public void createTopics(Settings settings, int partitions) {
        createTopics(bootstrapServers, settings, partitions, quorum.replication());
    }

    /**
     * Creates every topic of the registry on the cluster at {@code bootstrapServers}, each partition on
     * {@code replication} brokers and acknowledged by all but one of them ({@code min.insync.replicas}); topics that
     * exist already are left as they are.
     */
    public static void createTopics(String bootstrapServers, Settings settings, int partitions, int replication) {
        String minInSync = String.valueOf(Math.max(1, replication - 1));
        List<NewTopic> topics = new ArrayList<>();
        Map<String, Topic<?>> byName = new HashMap<>();
        for (Topic<?> topic : Topics.ALL) {
            Map<String, String> config = new HashMap<>(topicConfig(topic, settings));
            config.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInSync);
            topics.add(new NewTopic(topic.name(settings), partitions, (short) replication).configs(config));
            byName.put(topic.name(settings), topic);
        }
        try (Admin admin = admin(bootstrapServers)) {
            var results = admin.createTopics(topics).values();
            Map<ConfigResource, Collection<AlterConfigOp>> existing = new HashMap<>();
            for (var entry : results.entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey(), e.getCause());
                    }
                    existing.put(new ConfigResource(ConfigResource.Type.TOPIC, entry.getKey()),
                            topicConfig(byName.get(entry.getKey()), settings).entrySet().stream()
                                    .map(c -> new AlterConfigOp(new ConfigEntry(c.getKey(), c.getValue()), AlterConfigOp.OpType.SET))
                                    .toList());
                }
            }
            if (!existing.isEmpty()) admin.incrementalAlterConfigs(existing).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot set the configuration of the existing topics", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topics not created within 30 s", e);
        }
    }

    /**
     * The topic configuration of a retention class, the one definition the local mode, the tests and (through the drift
     * tests) docker/ and deploy/k8s use.
     */
    static Map<String, String> topicConfig(Topic<?> topic, Settings settings) {
        Map<String, String> config = new HashMap<>();
        String shortRetention = millis(settings.get(KafkaTopicsConfig.RETENTION_SHORT));
        String segmentMaxAge = millis(settings.get(KafkaTopicsConfig.SEGMENT_MAX_AGE));
        String compactionMaxLag = millis(settings.get(KafkaTopicsConfig.COMPACTION_MAX_LAG));
        switch (topic.retention()) {
            case SHORT -> {
                config.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
                config.put(TopicConfig.RETENTION_MS_CONFIG, shortRetention);
                config.put(TopicConfig.SEGMENT_MS_CONFIG, segmentMaxAge);
            }
            case COMPACTED -> {
                config.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
                config.put(TopicConfig.SEGMENT_MS_CONFIG, segmentMaxAge);
                config.put(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, compactionMaxLag);
            }
            case COMPACTED_SHORT -> {
                config.put(TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE);
                config.put(TopicConfig.RETENTION_MS_CONFIG, shortRetention);
                config.put(TopicConfig.SEGMENT_MS_CONFIG, segmentMaxAge);
                config.put(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, compactionMaxLag);
            }
            case TIME -> {
                config.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
                config.put(TopicConfig.RETENTION_MS_CONFIG,
                        String.valueOf(settings.get(KafkaTopicsConfig.RETENTION_TIME).toMillis()));
            }
        }
        return config;
    }

    private static String millis(Duration d) {
        return String.valueOf(d.toMillis());
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Embedded Kafka at {} stopped", bootstrapServers);
    }

    private Admin admin() {
        return admin(bootstrapServers);
    }

    private static Admin admin(String bootstrapServers) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(props);
    }

    /** The broker accepts requests once it answers a cluster description with itself as a node. */
    private void awaitReady() {
        try (Admin admin = admin()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            int nodes = admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).size();
            while (nodes < quorum.nodes() && System.nanoTime() < deadline) { // the other nodes of a cluster start beside it
                Thread.sleep(500);
                nodes = admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).size();
            }
            if (nodes != quorum.nodes()) {
                throw new IllegalStateException("expected " + quorum.nodes() + " broker node(s) but saw " + nodes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not come up at " + bootstrapServers, e);
        }
    }

    private static Properties serverProperties(Path logDir, int brokerPort, int controllerPort, Quorum quorum) {
        String replication = String.valueOf(quorum.replication());
        String minInSync = String.valueOf(quorum.minInSync());
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(quorum.nodeId()));
        p.put("controller.quorum.voters", quorum.voters(controllerPort));
        p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", replication);
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", replication);
        p.put("transaction.state.log.min.isr", minInSync);
        p.put("transaction.state.log.num.partitions", "1");
        p.put("transactional.id.expiration.ms", String.valueOf(TRANSACTIONAL_ID_EXPIRATION.toMillis()));
        p.put("transaction.remove.expired.transaction.cleanup.interval.ms",
                String.valueOf(EXPIRED_TRANSACTION_CLEANUP_INTERVAL.toMillis()));
        p.put("producer.id.expiration.ms", String.valueOf(PRODUCER_ID_EXPIRATION.toMillis()));
        p.put("min.insync.replicas", minInSync);
        p.put("default.replication.factor", replication);
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("delete.topic.enable", "true");
        return p;
    }

    private static void formatIfNew(Path logDir, KafkaConfig config, int nodeId, String clusterId) {
        if (Files.exists(logDir.resolve("meta.properties"))) return;
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setClusterId(clusterId != null ? clusterId : Uuid.randomUuid().toString())
                    .setNodeId(nodeId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setDirectories(List.of(logDir.toString()))
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setIgnoreFormatted(true)
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka log dir " + logDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka log dir " + logDir, e);
        }
    }
}
