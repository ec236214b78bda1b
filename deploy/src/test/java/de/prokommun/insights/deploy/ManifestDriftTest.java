package de.prokommun.insights.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.ConfigKey;
import de.prokommun.insights.flink.FlinkJobsConfig;
import de.prokommun.insights.flink.anonymize.AnonymiseJob;
import de.prokommun.insights.flink.campaign.CampaignJob;
import de.prokommun.insights.flink.profile.ProfileJob;
import de.prokommun.insights.ingestion.IngestionConfig;
import de.prokommun.insights.query.QueryConfig;
import de.prokommun.insights.query.health.HealthConfig;
import de.prokommun.insights.resident.ResidentConfig;
import de.prokommun.insights.testkit.EmbeddedKafka;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/k8s and docker/ against the code: topic names, partitions and cleanup policies from the registry, the Pinot
 * files byte for byte, the jobs' entry classes and checkpoint settings from JobEnvironment, the services' ports and
 * configuration keys from their config classes. Changing any of these in the code without the manifests fails here.
 */
class ManifestDriftTest {

    private static Manifests k8s;

    @BeforeAll
    static void load() throws IOException {
        k8s = Manifests.load();
    }

    // ---- Kafka ----

    @Test
    void everyRegistryTopicIsAKafkaTopicWithItsPartitionsReplicasAndCleanupPolicy() {
        assertThat(DriftChecks.kafkaTopics(k8s)).isEmpty();
        assertThat(k8s.ofKind("KafkaTopic")).hasSize(de.prokommun.insights.contract.Topics.ALL.size());
    }

    @Test
    void aTopicRenamedInTheManifestOrAChangedCleanupPolicyIsDrift() throws IOException {
        String text = Files.readString(Manifests.K8S.resolve("kafka-topics.yaml"));
        List<String> renamed = DriftChecks.kafkaTopics(Manifests.of(text.replace("prokommun.contributions", "prokommun.contribution")));
        assertThat(renamed).anySatisfy(p -> assertThat(p).contains("KafkaTopic prokommun.contributions: missing"))
                .anySatisfy(p -> assertThat(p).contains("KafkaTopic prokommun.contribution: not a topic of the registry"));
        List<String> policy = DriftChecks.kafkaTopics(Manifests.of(text.replaceFirst("cleanup.policy: \"compact\"", "cleanup.policy: \"delete\"")));
        assertThat(policy).singleElement().asString().contains("KafkaTopic prokommun.profiles spec.config").contains("cleanup.policy=compact");
        List<String> partitions = DriftChecks.kafkaTopics(Manifests.of(text.replaceFirst("partitions: 4", "partitions: 2")));
        assertThat(partitions).singleElement().asString().contains("spec.partitions: expected 4 (code), found 2");
    }

    @Test
    void theKafkaClusterHasThreeKraftNodesReplicationThreeMinIsrTwoAndTheTopicsBelongToIt() {
        GenericKubernetesResource kafka = k8s.ofKind("Kafka").get(0);
        assertThat(k8s.ofKind("Kafka")).hasSize(1);
        JsonNode config = Manifests.tree(kafka).at("/spec/kafka/config");
        assertThat(config.path("default.replication.factor").asInt()).isEqualTo(DriftChecks.REPLICATION_FACTOR);
        assertThat(config.path("offsets.topic.replication.factor").asInt()).isEqualTo(DriftChecks.REPLICATION_FACTOR);
        assertThat(config.path("transaction.state.log.replication.factor").asInt()).isEqualTo(DriftChecks.REPLICATION_FACTOR);
        assertThat(config.path("min.insync.replicas").asInt()).isEqualTo(DriftChecks.MIN_IN_SYNC);
        assertThat(config.path("transaction.state.log.min.isr").asInt()).isEqualTo(DriftChecks.MIN_IN_SYNC);
        assertThat(config.path("transactional.id.expiration.ms").asLong())
                .isEqualTo(EmbeddedKafka.TRANSACTIONAL_ID_EXPIRATION.toMillis());
        assertThat(config.path("transaction.remove.expired.transaction.cleanup.interval.ms").asLong())
                .isEqualTo(EmbeddedKafka.EXPIRED_TRANSACTION_CLEANUP_INTERVAL.toMillis());
        assertThat(config.path("producer.id.expiration.ms").asLong()).isEqualTo(EmbeddedKafka.PRODUCER_ID_EXPIRATION.toMillis());
        assertThat(kafka.getMetadata().getAnnotations()).containsEntry("strimzi.io/kraft", "enabled")
                .containsEntry("strimzi.io/node-pools", "enabled");
        String cluster = kafka.getMetadata().getName();
        int nodes = 0;
        for (GenericKubernetesResource pool : k8s.ofKind("KafkaNodePool")) {
            assertThat(pool.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", cluster);
            JsonNode spec = Manifests.tree(pool).path("spec");
            if (spec.path("roles").toString().contains("broker")) nodes += spec.path("replicas").asInt();
        }
        assertThat(nodes).as("brokers in the node pools").isEqualTo(DriftChecks.REPLICATION_FACTOR);
        for (GenericKubernetesResource topic : k8s.ofKind("KafkaTopic")) {
            assertThat(topic.getMetadata().getLabels()).as(topic.getMetadata().getName()).containsEntry("strimzi.io/cluster", cluster);
        }
    }

    // ---- Pinot ----

    @Test
    void thePinotConfigMapIsThePinotDirectoryByteForByte() throws IOException {
        ConfigMap map = k8s.typed("ConfigMap", "pinot-tables", ConfigMap.class);
        assertThat(DriftChecks.pinotConfigMap(map, Manifests.ROOT.resolve("pinot"))).isEmpty();
    }

    @Test
    void aTableConfigChangedInPinotWithoutRegeneratingTheConfigMapIsDrift() throws IOException {
        ConfigMap map = k8s.typed("ConfigMap", "pinot-tables", ConfigMap.class);
        Map<String, String> changed = new TreeMap<>(map.getData());
        changed.put("profiles.table.json", changed.get("profiles.table.json").replace("read_committed", "read_uncommitted"));
        changed.put("contributions.schema.json", changed.get("contributions.schema.json") + "\n");
        map.setData(changed);
        assertThat(DriftChecks.pinotConfigMap(map, Manifests.ROOT.resolve("pinot")))
                .containsExactlyInAnyOrder(
                        "ConfigMap pinot-tables: data.contributions.schema.json differs from pinot/contributions.schema.json (run deploy/k8s/generate-pinot-configmap)",
                        "ConfigMap pinot-tables: data.profiles.table.json differs from pinot/profiles.table.json (run deploy/k8s/generate-pinot-configmap)");
    }

    @Test
    void theTableJobLoadsTheConfigMapWithTwoReplicasForTwoServersAndTheKafkaBootstrap() {
        Job job = k8s.typed("Job", "pinot-tables", Job.class);
        var pod = job.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        String mountedAs = pod.getVolumes().stream().filter(v -> v.getConfigMap() != null
                && "pinot-tables".equals(v.getConfigMap().getName())).findFirst().orElseThrow().getName();
        String path = container.getVolumeMounts().stream().filter(m -> m.getName().equals(mountedAs)).findFirst().orElseThrow().getMountPath();
        assertThat(String.join("\n", container.getArgs())).contains(path + "/*.schema.json").contains("AddTable")
                .contains("$PINOT_REPLICAS").contains("$KAFKA_BROKER_LIST");
        Map<String, String> env = env(container);
        StatefulSet servers = k8s.typed("StatefulSet", "pinot-server", StatefulSet.class);
        assertThat(servers.getSpec().getReplicas()).isEqualTo(2);
        assertThat(env.get("PINOT_REPLICAS")).isEqualTo(String.valueOf(servers.getSpec().getReplicas()));
        assertThat(env.get("KAFKA_BROKER_LIST")).isEqualTo(kafkaBootstrap());
        for (String role : List.of("pinot-controller", "pinot-zookeeper")) k8s.typed("StatefulSet", role, StatefulSet.class);
        for (String role : List.of("pinot-broker", "pinot-minion")) k8s.typed("Deployment", role, Deployment.class);
    }

    // ---- Flink ----

    @Test
    void oneApplicationModeDeploymentPerJobWithTheJobJarAndEntryClass() throws IOException {
        Map<String, String> entries = new HashMap<>();
        for (GenericKubernetesResource deployment : k8s.ofKind("FlinkDeployment")) {
            JsonNode job = Manifests.tree(deployment).at("/spec/job");
            entries.put(job.path("entryClass").asText(), deployment.getMetadata().getName());
            assertThat(job.path("jarURI").asText()).isEqualTo("local:///opt/prokommun/flink-jobs.jar");
            assertThat(job.path("upgradeMode").asText()).isEqualTo("last-state");
        }
        assertThat(entries.keySet()).containsExactlyInAnyOrder(AnonymiseJob.class.getName(), ProfileJob.class.getName(),
                CampaignJob.class.getName());
        // The image puts the jar where jarURI expects it.
        assertThat(Files.readString(Manifests.ROOT.resolve("docker").resolve("Dockerfile.service")))
                .contains("/opt/prokommun/flink-jobs.jar");
    }

    @Test
    void everyFlinkDeploymentRunsTheJobsCheckpointSettingsAndOnlyDeclaredKeys() {
        Set<String> declared = envNames(FlinkJobsConfig.ALL, CommonConfig.ALL);
        for (GenericKubernetesResource deployment : k8s.ofKind("FlinkDeployment")) {
            String name = "FlinkDeployment " + deployment.getMetadata().getName();
            Map<String, String> flink = flinkConfiguration(deployment);
            assertThat(DriftChecks.checkpointSettings(name, flink)).isEmpty();
            JsonNode container = Manifests.tree(deployment).at("/spec/podTemplate/spec/containers/0");
            assertThat(container.path("name").asText()).isEqualTo("flink-main-container");
            Map<String, String> env = new HashMap<>();
            for (JsonNode var : container.path("env")) {
                assertThat(declared).as(name + " env " + var.path("name").asText()).contains(var.path("name").asText());
                env.put(var.path("name").asText(), var.path("value").asText(null));
            }
            assertThat(env.get(FlinkJobsConfig.CHECKPOINT_DIR.envName())).as(name).isEqualTo(flink.get("execution.checkpointing.dir"));
            assertThat(env.get(CommonConfig.KAFKA_BOOTSTRAP.envName())).as(name).isEqualTo(kafkaBootstrap());
            assertThat(env).as(name).containsKey(FlinkJobsConfig.CITY_SECRETS.envName());
        }
    }

    @Test
    void aChangedCheckpointIntervalOrAMissingIncrementalSettingIsDrift() {
        Map<String, String> flink = flinkConfiguration(k8s.ofKind("FlinkDeployment").get(0));
        flink.put("execution.checkpointing.interval", "5s");
        flink.remove("execution.checkpointing.incremental");
        assertThat(DriftChecks.checkpointSettings("x", flink))
                .anySatisfy(p -> assertThat(p).startsWith("x execution.checkpointing.interval: expected PT0.5S (code), found PT5S"))
                .anySatisfy(p -> assertThat(p).startsWith("x: execution.checkpointing.incremental missing"))
                .hasSize(2);
    }

    @Test
    void theComposeFlinkClusterRunsTheJobsCheckpointSettings() throws IOException {
        JsonNode services = composeServices();
        List<String> flinkNodes = new ArrayList<>();
        services.fieldNames().forEachRemaining(n -> { if (n.startsWith("flink-") && services.path(n).has("command")
                && services.path(n).path("command").isTextual()) flinkNodes.add(n); });
        assertThat(flinkNodes).containsExactlyInAnyOrder("flink-jobmanager", "flink-taskmanager-1", "flink-taskmanager-2");
        for (String node : flinkNodes) {
            Map<String, String> properties = new HashMap<>();
            for (String line : services.path(node).at("/environment/FLINK_PROPERTIES").asText().split("\n")) {
                int colon = line.indexOf(": ");
                if (colon > 0) properties.put(line.substring(0, colon).trim(), line.substring(colon + 2).trim());
            }
            assertThat(DriftChecks.checkpointSettings("docker-compose " + node, properties)).isEmpty();
        }
        assertThat(services.at("/flink-submit/environment/" + FlinkJobsConfig.CHECKPOINT_INTERVAL.envName()).asText())
                .isEqualTo("500ms");
    }

    @Test
    void theComposeBrokersForgetFinishedTransactionNamesAsTheEmbeddedBrokerDoes() throws IOException {
        JsonNode services = composeServices();
        for (String broker : List.of("kafka-1", "kafka-2", "kafka-3")) {
            JsonNode env = services.path(broker).path("environment");
            assertThat(env.path("KAFKA_TRANSACTIONAL_ID_EXPIRATION_MS").asLong()).as(broker)
                    .isEqualTo(EmbeddedKafka.TRANSACTIONAL_ID_EXPIRATION.toMillis());
            assertThat(env.path("KAFKA_TRANSACTION_REMOVE_EXPIRED_TRANSACTION_CLEANUP_INTERVAL_MS").asLong()).as(broker)
                    .isEqualTo(EmbeddedKafka.EXPIRED_TRANSACTION_CLEANUP_INTERVAL.toMillis());
            assertThat(env.path("KAFKA_PRODUCER_ID_EXPIRATION_MS").asLong()).as(broker)
                    .isEqualTo(EmbeddedKafka.PRODUCER_ID_EXPIRATION.toMillis());
        }
    }

    @Test
    void theComposeSubmitStartsEveryJobAndTheTaskManagersHaveASlotForEach() throws IOException {
        JsonNode services = composeServices();
        String submit = services.at("/flink-submit/command/0").asText();
        List<String> jobs = List.of(AnonymiseJob.class.getName(), ProfileJob.class.getName(), CampaignJob.class.getName());
        for (String job : jobs) assertThat(submit).as("flink-submit").contains(job);
        int parallelism = Integer.parseInt(services.at("/flink-submit/environment/" + FlinkJobsConfig.PARALLELISM.envName()).asText());
        int slots = 0;
        for (String node : List.of("flink-taskmanager-1", "flink-taskmanager-2")) {
            for (String line : services.path(node).at("/environment/FLINK_PROPERTIES").asText().split("\n")) {
                if (line.startsWith("taskmanager.numberOfTaskSlots: ")) slots += Integer.parseInt(line.substring(line.indexOf(' ') + 1).trim());
            }
        }
        // without a slot for every job at its parallelism the last submitted job waits for resources forever
        assertThat(slots).as("task slots of the compose cluster").isGreaterThanOrEqualTo(jobs.size() * parallelism);
    }

    // ---- services ----

    @Test
    void theServicesUseTheirOwnKeysAndOnePortThroughout() {
        assertThat(DriftChecks.service(deployment("ingestion"), service("ingestion"), IngestionConfig.all(), IngestionConfig.PORT)).isEmpty();
        List<ConfigKey<?>> query = new ArrayList<>(QueryConfig.all());
        query.addAll(HealthConfig.all());
        // The health monitor names the topics through Topic.name(settings), i.e. reads topics.prefix, but neither
        // QueryConfig.all() nor HealthConfig.all() lists it (reported; the query service is not this module's to change).
        query.add(CommonConfig.TOPIC_PREFIX);
        assertThat(DriftChecks.service(deployment("query-service"), service("query-service"), query, QueryConfig.PORT)).isEmpty();
        assertThat(DriftChecks.service(deployment("resident-api"), service("resident-api"), ResidentConfig.all(), ResidentConfig.PORT)).isEmpty();
        assertThat(deployment("ingestion").getSpec().getReplicas()).as("ingestion replicas").isEqualTo(2);
        for (String name : List.of("ingestion", "query-service", "resident-api")) {
            Map<String, String> env = env(deployment(name).getSpec().getTemplate().getSpec().getContainers().get(0));
            assertThat(env.get(CommonConfig.KAFKA_BOOTSTRAP.envName())).as(name).isEqualTo(kafkaBootstrap());
            if (env.containsKey(CommonConfig.PINOT_BROKER.envName())) {
                assertThat(env.get(CommonConfig.PINOT_BROKER.envName())).as(name).isEqualTo(serviceAddress("pinot-broker"));
            }
            if (env.containsKey(CommonConfig.PINOT_CONTROLLER.envName())) {
                assertThat(env.get(CommonConfig.PINOT_CONTROLLER.envName())).as(name).isEqualTo(serviceAddress("pinot-controller"));
            }
        }
    }

    @Test
    void anUndeclaredVariableOrAPortMismatchIsDrift() {
        Deployment ingestion = deployment("ingestion");
        Container container = ingestion.getSpec().getTemplate().getSpec().getContainers().get(0);
        container.getEnv().add(new EnvVar("PK_INGESTION_HTTP_PROT", "8080", null));
        container.getEnv().stream().filter(v -> v.getName().equals(IngestionConfig.PORT.envName())).findFirst().orElseThrow().setValue("9090");
        assertThat(DriftChecks.service(ingestion, service("ingestion"), IngestionConfig.all(), IngestionConfig.PORT))
                .containsExactlyInAnyOrder("Deployment ingestion: env PK_INGESTION_HTTP_PROT is no configuration key of the service",
                        "Deployment ingestion PK_INGESTION_HTTP_PORT vs containerPort http: expected 8080 (code), found 9090");
    }

    private static Deployment deployment(String name) {
        return k8s.typed("Deployment", name, Deployment.class);
    }

    private static Service service(String name) {
        return k8s.typed("Service", name, Service.class);
    }

    private static String serviceAddress(String name) {
        Service service = service(name);
        return name + ":" + service.getSpec().getPorts().get(0).getPort();
    }

    /** Strimzi's bootstrap service of the Kafka resource's plain listener: "<cluster>-kafka-bootstrap:<port>". */
    private static String kafkaBootstrap() {
        GenericKubernetesResource kafka = k8s.ofKind("Kafka").get(0);
        for (JsonNode listener : Manifests.tree(kafka).at("/spec/kafka/listeners")) {
            if (!listener.path("tls").asBoolean() && "internal".equals(listener.path("type").asText())) {
                return kafka.getMetadata().getName() + "-kafka-bootstrap:" + listener.path("port").asInt();
            }
        }
        throw new AssertionError("Kafka " + kafka.getMetadata().getName() + ": no internal plain listener");
    }

    private static Map<String, String> flinkConfiguration(GenericKubernetesResource deployment) {
        Map<String, String> flink = new HashMap<>();
        Manifests.tree(deployment).at("/spec/flinkConfiguration").fields()
                .forEachRemaining(e -> flink.put(e.getKey(), e.getValue().asText()));
        return flink;
    }

    private static Map<String, String> env(Container container) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar var : container.getEnv()) env.put(var.getName(), var.getValue());
        return env;
    }

    @SafeVarargs
    private static Set<String> envNames(List<ConfigKey<?>>... lists) {
        Set<String> names = new HashSet<>();
        for (List<ConfigKey<?>> list : lists) for (ConfigKey<?> key : list) names.add(key.envName());
        return names;
    }

    /** The services of docker/docker-compose.yml (YAML anchors merged). */
    private static JsonNode composeServices() throws IOException {
        Map<String, Object> compose;
        try (var reader = Files.newBufferedReader(Manifests.ROOT.resolve("docker").resolve("docker-compose.yml"))) {
            compose = new Yaml().load(reader);
        }
        return Manifests.JSON.valueToTree(compose.get("services"));
    }
}
