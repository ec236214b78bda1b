package de.prokommun.insights.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.contract.Topic;
import de.prokommun.insights.contract.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/ must use the same Pinot definition as the local mode: the compose file mounts ../pinot, and the
 * table files agree with the registry (topic names with the default prefix, read_committed isolation).
 * Static checks only: no Docker engine is needed.
 */
class DockerComposeDefinitionTest {

    private static final Path ROOT = repositoryRoot();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Settings DEFAULTS = Settings.of(Map.of());
    /** The broker list the files in pinot/ name; the local mode and pinot-tables replace it. */
    private static final String PINOT_FILES_BROKER = "kafka:9092";
    private static final int BROKERS = 3;
    private static final int REPLICATION_FACTOR = 3;
    private static final int MIN_IN_SYNC = 2;
    private static final int PINOT_SERVERS = 2;
    private static final int TASK_MANAGERS = 2;

    @Test
    void theComposeFileMountsThePinotDirectoryIntoTheServiceThatCreatesTheTables() throws IOException {
        JsonNode services = compose().path("services");
        List<String> mounting = new ArrayList<>();
        services.fields().forEachRemaining(service -> {
            for (JsonNode volume : service.getValue().path("volumes")) {
                if (volume.asText().startsWith("../pinot:")) mounting.add(service.getKey());
            }
        });
        assertThat(mounting).containsExactly("pinot-tables");
        JsonNode tables = services.path("pinot-tables");
        String target = tables.path("volumes").get(0).asText().split(":")[1];
        assertThat(tables.path("command").toString()).contains(target + "/*.schema.json").contains("AddTable")
                .contains(".table.json");
        assertThat(tables.path("image").asText()).startsWith("apachepinot/pinot:1.");
    }

    @Test
    void everyTableHasItsFilesAndReadsTheRegistrysTopicCommittedOnly() throws IOException {
        for (PinotTables.Table table : PinotTables.ALL) {
            JsonNode schema = JSON.readTree(ROOT.resolve("pinot").resolve(table.schemaFile()).toFile());
            JsonNode config = JSON.readTree(ROOT.resolve("pinot").resolve(table.tableConfigFile()).toFile());
            assertThat(schema.path("schemaName").asText()).isEqualTo(table.name());
            assertThat(config.path("tableName").asText()).isEqualTo(table.name());
            JsonNode stream = config.at("/tableIndexConfig/streamConfigs");
            assertThat(stream.path("stream.kafka.topic.name").asText()).as(table.name())
                    .isEqualTo(table.source().name(DEFAULTS));
            assertThat(stream.path("stream.kafka.isolation.level").asText()).isEqualTo("read_committed");
            assertThat(stream.has("stream.kafka.consumer.prop.isolation.level")).isFalse();
            // The files name the placeholder broker; pinot-tables replaces it with the cluster's brokers (test below).
            assertThat(stream.path("stream.kafka.broker.list").asText()).isEqualTo(PINOT_FILES_BROKER);
        }
    }

    @Test
    void theProfilesUpsertTableDeletesErasedPeopleInPinot1() throws IOException {
        JsonNode config = JSON.readTree(ROOT.resolve("pinot").resolve(PinotTables.PROFILES.tableConfigFile()).toFile());
        assertThat(config.at("/upsertConfig/mode").asText()).isEqualTo("FULL");
        assertThat(config.at("/upsertConfig/deleteRecordColumn").asText()).isEqualTo("deleted");
        assertThat(config.at("/routing/instanceSelectorType").asText()).isEqualTo("strictReplicaGroup");
    }

    @Test
    void theTopicInitCreatesEveryTopicOfTheRegistry() throws IOException {
        String command = compose().at("/services/kafka-topics/command").toString();
        for (Topic<?> topic : Topics.ALL) {
            assertThat(command).contains("--topic " + topic.name(DEFAULTS) + " ");
        }
        assertThat(command).contains("--topic " + Topics.PROFILES.name(DEFAULTS) + " --config cleanup.policy=compact");
    }

    /** docker/ creates each topic with exactly the configuration the local mode gives its retention class. */
    @Test
    void theTopicInitConfiguresEveryTopicAsTheLocalModeDoes() throws IOException {
        String command = compose().at("/services/kafka-topics/command").path(0).asText();
        for (Topic<?> topic : Topics.ALL) {
            String line = command.lines().filter(l -> l.contains("--topic " + topic.name(DEFAULTS) + " ")
                    || l.endsWith("--topic " + topic.name(DEFAULTS))).findFirst().orElseThrow();
            Map<String, String> configs = new java.util.TreeMap<>();
            Matcher m = Pattern.compile("--config (\\S+)=(\\S+)").matcher(line);
            while (m.find()) configs.put(m.group(1), m.group(2));
            assertThat(configs).as(topic.baseName() + " (retention class " + topic.retention() + ")")
                    .isEqualTo(new java.util.TreeMap<>(EmbeddedKafka.topicConfig(topic, DEFAULTS)));
        }
    }

    @Test
    void threeKraftBrokersAreVotersWithReplicationFactorThreeAndMinIsrTwoIncludingTransactions() throws IOException {
        List<String> brokers = brokers();
        assertThat(brokers).hasSize(BROKERS);
        Set<String> nodeIds = new HashSet<>();
        Set<String> clusterIds = new HashSet<>();
        for (String broker : brokers) {
            Map<String, String> env = environment(broker);
            String host = broker + ":9092";
            assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).as(broker).isEqualTo("PLAINTEXT://" + host);
            assertThat(env.get("KAFKA_PROCESS_ROLES")).as(broker).isEqualTo("broker,controller");
            assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).as(broker)
                    .contains(env.get("KAFKA_NODE_ID") + "@" + broker + ":9093");
            assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS").split(",")).as(broker).hasSize(BROKERS);
            assertThat(env.get("KAFKA_DEFAULT_REPLICATION_FACTOR")).as(broker).isEqualTo(String.valueOf(REPLICATION_FACTOR));
            assertThat(env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")).as(broker).isEqualTo(String.valueOf(REPLICATION_FACTOR));
            assertThat(env.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")).as(broker)
                    .isEqualTo(String.valueOf(REPLICATION_FACTOR));
            assertThat(env.get("KAFKA_MIN_INSYNC_REPLICAS")).as(broker).isEqualTo(String.valueOf(MIN_IN_SYNC));
            assertThat(env.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")).as(broker).isEqualTo(String.valueOf(MIN_IN_SYNC));
            assertThat(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).as(broker).isEqualTo("false");
            nodeIds.add(env.get("KAFKA_NODE_ID"));
            clusterIds.add(env.get("CLUSTER_ID"));
        }
        assertThat(nodeIds).as("KAFKA_NODE_ID of the brokers").hasSize(BROKERS);
        assertThat(clusterIds).as("CLUSTER_ID of the brokers").hasSize(1);
    }

    @Test
    void everyBootstrapListNamesEveryBroker() throws IOException {
        List<String> addresses = brokers().stream().map(b -> b + ":9092").toList();
        JsonNode services = compose().path("services");
        List<String> withBootstrap = new ArrayList<>();
        services.fieldNames().forEachRemaining(name -> {
            String bootstrap = environment(name).get("PK_KAFKA_BOOTSTRAP_SERVERS");
            if (bootstrap == null) return;
            withBootstrap.add(name);
            assertThat(bootstrap.split(",")).as(name + " PK_KAFKA_BOOTSTRAP_SERVERS").containsExactlyInAnyOrderElementsOf(addresses);
        });
        assertThat(withBootstrap).contains("flink-submit", "ingestion-1", "ingestion-2", "query-service");
        assertThat(environment("pinot-tables").get("KAFKA_BROKER_LIST").split(","))
                .as("pinot-tables KAFKA_BROKER_LIST").containsExactlyInAnyOrderElementsOf(addresses);
        String topics = compose().at("/services/kafka-topics/command").toString();
        assertThat(topics).contains("--bootstrap-server " + String.join(",", addresses));
    }

    @Test
    void everyTopicOfTheRegistryHasReplicationThreeMinIsrTwoAndTheCleanupPolicyOfItsRetentionClass() throws IOException {
        String command = compose().at("/services/kafka-topics/command/0").asText();
        Matcher defaults = Pattern.compile("--create --if-not-exists --partitions (\\d+) --replication-factor (\\d+)"
                + " --config min.insync.replicas=(\\d+)").matcher(command);
        assertThat(defaults.find()).as("topic defaults in kafka-topics").isTrue();
        assertThat(Integer.parseInt(defaults.group(1))).as("partitions").isGreaterThanOrEqualTo(TASK_MANAGERS * 2);
        assertThat(defaults.group(2)).as("replication factor").isEqualTo(String.valueOf(REPLICATION_FACTOR));
        assertThat(defaults.group(3)).as("min.insync.replicas").isEqualTo(String.valueOf(MIN_IN_SYNC));
        Map<String, String> lines = new HashMap<>();
        for (String line : command.split("\n")) {
            Matcher m = Pattern.compile("--topic (\\S+) (.*)").matcher(line);
            if (m.find()) lines.put(m.group(1), m.group(2));
        }
        assertThat(lines.keySet()).as("topics created by kafka-topics")
                .containsExactlyInAnyOrderElementsOf(Topics.ALL.stream().map(t -> t.name(DEFAULTS)).toList());
        for (Topic<?> topic : Topics.ALL) {
            Map<String, String> expected = EmbeddedKafka.topicConfig(topic, DEFAULTS);
            Map<String, String> actual = new HashMap<>();
            Matcher config = Pattern.compile("--config (\\S+)=(\\S+)").matcher(lines.get(topic.name(DEFAULTS)));
            while (config.find()) actual.put(config.group(1), config.group(2));
            assertThat(actual).as(topic.name(DEFAULTS) + " configs (as the local mode creates them)").isEqualTo(expected);
        }
    }

    @Test
    void pinotTablesGetTwoReplicasAndTheClusterBrokersAtCreationWithoutForkingTheFiles() throws IOException {
        JsonNode services = compose().path("services");
        List<String> servers = new ArrayList<>();
        services.fieldNames().forEachRemaining(n -> { if (n.startsWith("pinot-server")) servers.add(n); });
        assertThat(servers).hasSize(PINOT_SERVERS);
        for (String server : servers) {
            assertThat(services.path(server).path("command").asText()).as(server).startsWith("StartServer -zkAddress zookeeper:2181");
        }
        assertThat(services.has("pinot-minion")).isTrue();
        Map<String, String> env = environment("pinot-tables");
        assertThat(env.get("PINOT_REPLICAS")).isEqualTo(String.valueOf(PINOT_SERVERS));
        String command = services.path("pinot-tables").path("command").get(0).asText();
        assertThat(command).contains("$$PINOT_REPLICAS").contains("$$KAFKA_BROKER_LIST").contains("-tableConfigFile \"$$copy\"");
        // The sed patterns of the command must find what they replace in every table file, or the override would
        // silently leave 1 replica and the placeholder broker.
        for (PinotTables.Table table : PinotTables.ALL) {
            String file = Files.readString(ROOT.resolve("pinot").resolve(table.tableConfigFile()));
            assertThat(Pattern.compile("\"replicasPerPartition\": *\"[0-9]+\"").matcher(file).find())
                    .as(table.name() + " replicasPerPartition as the sed pattern expects").isTrue();
            assertThat(Pattern.compile("\"replication\": *\"[0-9]+\"").matcher(file).find())
                    .as(table.name() + " replication as the sed pattern expects").isTrue();
            assertThat(Pattern.compile("\"stream.kafka.broker.list\": *\"[^\"]*\"").matcher(file).find())
                    .as(table.name() + " stream.kafka.broker.list as the sed pattern expects").isTrue();
        }
    }

    @Test
    void flinkRunsAJobManagerAndTwoTaskManagersWithTheJobsCheckpointSettingsOnASharedVolume() throws IOException {
        JsonNode services = compose().path("services");
        List<String> taskManagers = new ArrayList<>();
        services.fieldNames().forEachRemaining(n -> {
            if ("taskmanager".equals(services.path(n).path("command").asText())) taskManagers.add(n);
        });
        assertThat(taskManagers).hasSize(TASK_MANAGERS);
        List<String> flinkNodes = new ArrayList<>(taskManagers);
        flinkNodes.add("flink-jobmanager");
        for (String node : flinkNodes) {
            Map<String, String> flink = flinkProperties(environment(node).get("FLINK_PROPERTIES"));
            assertThat(flink).as(node).containsEntry("state.backend.type", "rocksdb")
                    .containsEntry("execution.checkpointing.incremental", "true")
                    .containsEntry("execution.checkpointing.mode", "EXACTLY_ONCE")
                    .containsEntry("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION")
                    .containsEntry("execution.checkpointing.dir", "file:///var/flink/checkpoints")
                    .containsEntry("jobmanager.rpc.address", "flink-jobmanager");
            // The interval and retained count are compared with FlinkJobsConfig/JobEnvironment by the deploy module's
            // ManifestDriftTest (testkit cannot depend on flink-jobs).
            assertThat(flink).as(node).containsKeys("execution.checkpointing.interval", "execution.checkpointing.num-retained");
            assertThat(services.path(node).path("volumes").toString()).as(node).contains("flink-checkpoints:/var/flink/checkpoints");
        }
        Map<String, String> submit = environment("flink-submit");
        assertThat(submit.get("PK_FLINK_CHECKPOINT_DIR")).isEqualTo("file:///var/flink/checkpoints");
        assertThat(services.path("flink-submit").path("command").get(0).asText())
                .contains("de.prokommun.insights.flink.anonymize.AnonymiseJob")
                .contains("de.prokommun.insights.flink.profile.ProfileJob");
    }

    /** The compose service names of the Kafka brokers (the services running the apache/kafka image as a node). */
    private static List<String> brokers() throws IOException {
        JsonNode services = compose().path("services");
        List<String> brokers = new ArrayList<>();
        services.fieldNames().forEachRemaining(n -> {
            if (services.path(n).path("environment").has("KAFKA_ADVERTISED_LISTENERS")) brokers.add(n);
        });
        return brokers;
    }

    /** A service's environment as strings (numbers too, as Compose passes them). */
    private static Map<String, String> environment(String service) {
        try {
            JsonNode env = compose().path("services").path(service).path("environment");
            Map<String, String> result = new HashMap<>();
            env.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
            return result;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> flinkProperties(String text) {
        Map<String, String> result = new HashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) result.put(line.substring(0, colon).trim(), line.substring(colon + 2).trim());
        }
        return result;
    }

    private static JsonNode compose() throws IOException {
        // SnakeYAML resolves anchors, aliases and merge keys (<<: *anchor) as Docker Compose does; Jackson's YAML
        // parser would keep an alias as its name.
        try (var reader = Files.newBufferedReader(ROOT.resolve("docker").resolve("docker-compose.yml"))) {
            return JSON.valueToTree(new Yaml().load(reader));
        }
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("docker").resolve("docker-compose.yml"))) return dir;
        }
        throw new IllegalStateException("docker/docker-compose.yml not found upwards from " + Path.of("").toAbsolutePath());
    }
}
