package de.prokommun.insights.local.cluster;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.anonymize.AnonymiseJob;
import de.prokommun.insights.flink.campaign.CampaignJob;
import de.prokommun.insights.flink.profile.ProfileJob;
import de.prokommun.insights.flink.runtime.RetainedCheckpoints;
import de.prokommun.insights.ingestion.IngestionConfig;
import de.prokommun.insights.ingestion.IngestionServer;
import de.prokommun.insights.local.LocalConfig;
import de.prokommun.insights.local.LocalSecrets;
import de.prokommun.insights.local.LocalSettings;
import de.prokommun.insights.local.LocalSystem;
import de.prokommun.insights.query.QueryConfig;
import de.prokommun.insights.query.QueryServer;
import de.prokommun.insights.query.health.HealthConfig;
import de.prokommun.insights.resident.ResidentConfig;
import de.prokommun.insights.resident.ResidentServer;
import de.prokommun.insights.testkit.EmbeddedKafka;
import de.prokommun.insights.testkit.PinotCluster;
import de.prokommun.insights.testkit.PinotClusterConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./run-cluster}: the same jobs, table configs and services as {@code ./run-local}, each node in its own JVM
 * with its own port and data directory — 3 Kafka KRaft nodes (replication 3, {@code min.insync.replicas} 2), Pinot
 * as ZooKeeper, controller, broker and 2 servers (every segment on both), a Flink session cluster (a JobManager and
 * 2 TaskManagers; the jobs submitted as jar + entry class through its REST API), 2 ingestion instances, the query
 * service and the resident API. Nothing is forked for the cluster: every node runs the code the local mode runs in
 * one JVM. {@link #close()} stops every node in reverse order.
 */
public final class ClusterSystem implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSystem.class);
    private static final Duration START = Duration.ofMinutes(4);
    private static final String NODE_LOG_CONFIG = "-Dlog4j2.configurationFile=log4j2-node.properties";

    private final Path dataDir;
    private final ClusterLayout layout;
    private final ClusterClasspath classpath;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final List<NodeProcess> kafkaNodes = new ArrayList<>();
    private final List<NodeProcess> pinotServers = new ArrayList<>();
    private final List<NodeProcess> ingestions = new ArrayList<>();
    private NodeProcess pinotController;
    private FlinkSession flink;
    private Settings settings;
    private String kafkaBootstrap;
    private final Map<String, String> jobIds = new HashMap<>();
    /** Job name → entry class: what the cluster runs. */
    static final Map<String, String> JOBS = Map.of(AnonymiseJob.NAME, AnonymiseJob.class.getName(),
            ProfileJob.NAME, ProfileJob.class.getName(), CampaignJob.NAME, CampaignJob.class.getName());
    private RetainedCheckpoints retained;
    private Path jobSettings;
    private volatile boolean closing;

    private ClusterSystem(Path dataDir, ClusterLayout layout, ClusterClasspath classpath) {
        this.dataDir = dataDir;
        this.layout = layout;
        this.classpath = classpath;
    }

    /** Starts every node; on failure stops what was started and rethrows. */
    public static ClusterSystem start(Path dataDir, Settings settings, ClusterLayout layout, ClusterClasspath classpath)
            throws Exception {
        ClusterSystem cluster = new ClusterSystem(dataDir.toAbsolutePath(), layout, classpath);
        try {
            cluster.startAll(settings);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void startAll(Settings base) throws Exception {
        Files.createDirectories(dataDir);
        settings = base.with(LocalSystem.secretsFor(dataDir, base));
        startKafka();
        startPinot();
        startFlink();
        startServices();
        LOG.info("cluster up: {}", nodes.stream().map(NodeProcess::role).collect(Collectors.joining(", ")));
    }

    private List<String> nodeJvm() {
        List<String> options = new ArrayList<>(List.of(NODE_LOG_CONFIG));
        options.addAll(nodeJvmOptions(settings));
        return options;
    }

    static List<String> nodeJvmOptions(Settings settings) {
        return PinotClusterConfig.words(settings.get(LocalConfig.NODE_JVM_OPTIONS));
    }

    // ---- Kafka ------------------------------------------------------------------------------------------------

    private void startKafka() throws Exception {
        // every node of a KRaft cluster is formatted with the same id, kept for restarts
        String clusterId = de.prokommun.insights.local.StoredProperties.load(dataDir.resolve("kafka-cluster.properties"), false)
                .getOrCreate("cluster.id", () -> org.apache.kafka.common.Uuid.randomUuid().toString());
        String voters = java.util.stream.IntStream.rangeClosed(1, layout.kafkaNodes())
                .mapToObj(i -> i + ":" + layout.port("kafka-" + i + ".controller")).collect(Collectors.joining(","));
        List<String> brokers = new ArrayList<>();
        for (int i = 1; i <= layout.kafkaNodes(); i++) {
            int port = layout.port("kafka-" + i + ".broker");
            brokers.add(ClusterLayout.HOST + ":" + port);
            NodeProcess node = NodeProcess.jvm("kafka-" + i, port, classpath.services(), "512m", nodeJvm(),
                    KafkaNodeMain.class.getName(), List.of(dataDir.resolve("kafka-" + i).toString(), String.valueOf(i),
                            String.valueOf(port), String.valueOf(layout.port("kafka-" + i + ".controller")), voters,
                            String.valueOf(layout.kafkaReplication()), clusterId), dataDir.resolve("logs/kafka-" + i + ".log"));
            kafkaNodes.add(started(node));
        }
        for (NodeProcess node : kafkaNodes) node.awaitLogLine(KafkaNodeMain.READY, START);
        kafkaBootstrap = String.join(",", brokers);
        settings = settings.with(CommonConfig.KAFKA_BOOTSTRAP, kafkaBootstrap);
        EmbeddedKafka.createTopics(kafkaBootstrap, settings, settings.get(LocalConfig.PARTITIONS), layout.kafkaReplication());
        LOG.info("Kafka up: {} (replication {})", kafkaBootstrap, layout.kafkaReplication());
    }

    // ---- Pinot ------------------------------------------------------------------------------------------------

    private void startPinot() throws Exception {
        PinotCluster.Ports shared = pinotPorts(0);
        NodeProcess zookeeper = started(pinot("pinot-zookeeper", "zookeeper", shared, shared.zookeeper()));
        zookeeper.awaitListening(START);
        pinotController = started(pinot("pinot-controller", "controller", shared, shared.controller()));
        pinotController.awaitListening(START);
        NodeProcess broker = started(pinot("pinot-broker", "broker", shared, shared.broker()));
        for (int i = 1; i <= layout.pinotServers(); i++) {
            pinotServers.add(started(pinot("pinot-server-" + i, "server", pinotPorts(i), pinotPorts(i).serverNetty())));
        }
        broker.awaitListening(START);
        pinotController.awaitLogLine("PINOT READY", START); // tables created on both servers, broker answers on each
        settings = settings.with(Map.of(CommonConfig.PINOT_BROKER.name(), ClusterLayout.HOST + ":" + shared.broker(),
                CommonConfig.PINOT_CONTROLLER.name(), ClusterLayout.HOST + ":" + shared.controller()));
        LOG.info("Pinot up: controller {}, broker {}, {} servers", shared.controller(), shared.broker(), layout.pinotServers());
    }

    /** The ports a Pinot node is told: the cluster's ZooKeeper, controller and broker, and server {@code i}'s own. */
    private PinotCluster.Ports pinotPorts(int server) {
        String s = "pinot-server-" + Math.max(1, server);
        return new PinotCluster.Ports(layout.port("pinot.zookeeper"), layout.port("pinot.controller"),
                layout.port("pinot.broker"), layout.port(s + ".netty"), layout.port(s + ".admin"), layout.port(s + ".grpc"));
    }

    private NodeProcess pinot(String name, String role, PinotCluster.Ports ports, int port) {
        List<String> args = new ArrayList<>(PinotCluster.runnerArguments(dataDir.resolve(name), kafkaBootstrap, settings, ports));
        args.add("--role=" + role);
        args.add("--replicas=" + layout.pinotReplicas());
        args.add("--servers=" + layout.pinotServers());
        return NodeProcess.jvm(name, port, PinotCluster.runnerClasspath(settings), "768m", nodeJvmOptions(settings), PinotCluster.MAIN_CLASS,
                args, dataDir.resolve("logs/" + name + ".log"));
    }

    // ---- Flink ------------------------------------------------------------------------------------------------

    private void startFlink() throws Exception {
        Path dir = dataDir.resolve("flink");
        flink = FlinkSession.plan(dir, layout, settings, classpath.flinkCluster());
        retained = new RetainedCheckpoints(dir);
        nodes.add(flink.jobManager());
        nodes.addAll(flink.taskManagers());
        flink.start();
        Path jobSettings = privateProperties(dir.resolve("jobs.properties"), settings.with(Map.of(
                FlinkJobsConfig.CHECKPOINT_DIR.name(), flink.checkpointDir().toString())));
        this.jobSettings = jobSettings;
        submitJobs();
        LOG.info("Flink session up at {} running {}", flink.restUrl(), jobIds);
    }

    /**
     * Submits every job, each from its latest retained checkpoint when there is one (a restarted cluster, a
     * JobManager started again after a crash: without an HA store it knows no jobs), else fresh.
     */
    private void submitJobs() throws Exception {
        String jar = flink.upload(classpath.jobJar(dataDir.resolve("flink/job-jar")));
        int parallelism = settings.get(FlinkJobsConfig.PARALLELISM);
        for (Map.Entry<String, String> job : JOBS.entrySet()) {
            Optional<Path> from = retained.latest(job.getKey());
            String id = flink.run(jar, job.getValue(), jobSettings, parallelism, from);
            retained.rememberJobId(job.getKey(), id);
            jobIds.put(job.getKey(), id);
            LOG.info("job {} submitted as {}{}", job.getKey(), id, from.map(p -> ", resuming from " + p).orElse(", fresh"));
        }
    }

    // ---- services ---------------------------------------------------------------------------------------------

    private void startServices() throws Exception {
        List<String> ingestionUrls = new ArrayList<>();
        for (int i = 1; i <= layout.ingestions(); i++) {
            int port = layout.port("ingestion-" + i + ".http");
            Settings own = settings.with(Map.of(IngestionConfig.PORT.name(), String.valueOf(port),
                    IngestionConfig.METRICS_OPEN.name(), "true"));
            ingestions.add(started(service("ingestion-" + i, port, IngestionServer.class.getName(), own)));
            ingestionUrls.add("http://" + ClusterLayout.HOST + ":" + port);
        }
        int queryPort = layout.port("query.http");
        Settings query = LocalSettings.forQueryService(settings, dataDir).with(Map.of(QueryConfig.PORT.name(), String.valueOf(queryPort),
                HealthConfig.INGESTION_METRICS_URL.name(), ingestionUrls.get(0) + "/metrics",
                HealthConfig.FLINK_REST_URL.name(), flink.restUrl().toString()));
        NodeProcess queryService = started(service("query-service", queryPort, QueryServer.class.getName(), query));
        int residentPort = layout.port("resident.http");
        Settings resident = settings.with(Map.of(ResidentConfig.PORT.name(), String.valueOf(residentPort),
                ResidentConfig.AUDIT_LOG.name(), settings.get(QueryConfig.AUDIT_LOG),
                ResidentConfig.JWT_KEY.name(), residentJwtKey()));
        NodeProcess residentApi = started(service("resident-api", residentPort, ResidentServer.class.getName(), resident));
        for (NodeProcess ingestion : ingestions) ingestion.awaitListening(START);
        queryService.awaitListening(START);
        residentApi.awaitListening(START);
    }

    private NodeProcess service(String name, int port, String mainClass, Settings own) {
        Path properties = privateProperties(dataDir.resolve("conf/" + name + ".properties"), own);
        return NodeProcess.jvm(name, port, classpath.services(), "512m", nodeJvm(), mainClass, List.of(properties.toString()),
                dataDir.resolve("logs/" + name + ".log"));
    }

    String residentJwtKey() {
        return settings.isSet(ResidentConfig.JWT_KEY) ? settings.get(ResidentConfig.JWT_KEY)
                : LocalSecrets.in(dataDir).secret("resident.jwt");
    }

    /** A node's settings, secrets included: readable by the owner only, never printed. */
    static Path privateProperties(Path file, Settings values) {
        Properties p = new Properties();
        p.putAll(values.explicitValues());
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (var out = Files.newBufferedWriter(file)) {
                p.store(out, "written by ./run-cluster at every start; holds secrets");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    private NodeProcess started(NodeProcess node) {
        nodes.add(node);
        node.start();
        return node;
    }

    /**
     * Starts every node that has ended since, as a supervisor (systemd, Kubernetes) would: a TaskManager that shuts
     * itself down after losing its JobManager, a node killed by a fault. An ingestion instance counts as back once it
     * listens again (a readiness probe): clients are sent to it by address, and one that was started but does not
     * listen fails here with its log instead of refusing their connections later. Returns the roles started again.
     */
    public List<String> restartEnded() {
        List<String> restarted = new ArrayList<>();
        for (NodeProcess node : nodes) {
            if (!node.isAlive() && !closing) {
                LOG.warn("{} has ended; starting it again (log {})", node.role(), node.log());
                node.start();
                restarted.add(node.role());
                if (node == flink.jobManager()) resumeJobs();
                if (ingestions.contains(node)) awaitListening(node);
            }
        }
        return restarted;
    }

    private static void awaitListening(NodeProcess node) {
        try {
            node.awaitListening(START);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + node.role() + " started again", e);
        }
    }

    /** After the JobManager started again: once the TaskManagers are back, the jobs resume from their checkpoints. */
    private void resumeJobs() {
        try {
            flink.jobManager().awaitListening(START);
            flink.awaitTaskManagers(layout.taskManagers(), START);
            submitJobs();
        } catch (Exception e) {
            throw new IllegalStateException("the jobs could not be resumed after the JobManager's restart", e);
        }
    }

    // ---- what the launcher, the tests and the chaos suite see -------------------------------------------------

    public List<NodeProcess> nodes() {
        return List.copyOf(nodes);
    }

    /** The node with this role, e.g. {@code kafka-2} or {@code flink-taskmanager-1}. */
    public NodeProcess node(String role) {
        return nodes.stream().filter(n -> n.role().equals(role)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node '" + role + "'"));
    }

    /** One line per node: role, pid, port, log — for the console and the docs. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("  %-22s %8s %6s  %s", "Rolle", "PID", "Port", "Log"));
        for (NodeProcess n : nodes) {
            lines.add(String.format("  %-22s %8d %6d  %s", n.role(), n.pid(), n.port(), dataDir.relativize(n.log())));
        }
        return lines;
    }

    public Settings settings() {
        return settings;
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    public List<String> ingestionUrls() {
        return ingestions.stream().map(n -> "http://" + ClusterLayout.HOST + ":" + n.port()).toList();
    }

    public String queryUrl() {
        return "http://" + ClusterLayout.HOST + ":" + node("query-service").port();
    }

    public String residentUrl() {
        return "http://" + ClusterLayout.HOST + ":" + node("resident-api").port();
    }

    public java.net.URI flinkRestUrl() {
        return flink.restUrl();
    }

    /** Job name → state, as the JobManager reports them. */
    public Map<String, String> jobStates() throws IOException, InterruptedException {
        return flink.jobs();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        closing = true;
        for (int i = nodes.size() - 1; i >= 0; i--) nodes.get(i).signalStop();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            NodeProcess node = nodes.get(i);
            try {
                node.stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping {} failed: {}", node.role(), e.toString());
            }
        }
    }
}
