package de.prokommun.insights.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import de.prokommun.insights.config.ConfigKey;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.contract.Topic;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.flink.runtime.JobEnvironment;
import de.prokommun.insights.testkit.TopicConfigs;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;

/**
 * Comparisons of the manifests with the code. Each returns the list of differences (empty = no drift), each naming
 * the resource, the field and both values, so a test can show that a deliberate drift is found and the build log
 * says what to change.
 */
final class DriftChecks {
    private DriftChecks() {}

    static final Settings DEFAULTS = Settings.of(Map.of());
    /** Cluster topology of issue 17, the same in docker/ and deploy/k8s. */
    static final int PARTITIONS = 4;
    static final int REPLICATION_FACTOR = 3;
    static final int MIN_IN_SYNC = 2;

    /** The checkpoint options the jobs set in code (JobEnvironment) and every cluster must run with. */
    static final List<ConfigOption<?>> CHECKPOINT_OPTIONS = List.of(CheckpointingOptions.CHECKPOINTING_INTERVAL,
            CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingOptions.ENABLE_UNALIGNED,
            CheckpointingOptions.ALIGNED_CHECKPOINT_TIMEOUT, CheckpointingOptions.INCREMENTAL_CHECKPOINTS,
            CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
            StateBackendOptions.STATE_BACKEND);

    /** One KafkaTopic per registry topic with its name, partitions, replicas, min ISR and the local mode's config. */
    static List<String> kafkaTopics(Manifests manifests) {
        List<String> problems = new ArrayList<>();
        Map<String, JsonNode> byName = new HashMap<>();
        for (GenericKubernetesResource topic : manifests.ofKind("KafkaTopic")) {
            JsonNode spec = Manifests.tree(topic).path("spec");
            String name = spec.path("topicName").asText(topic.getMetadata().getName());
            if (byName.put(name, spec) != null) problems.add("KafkaTopic " + name + ": declared twice");
        }
        Set<String> expected = Topics.ALL.stream().map(t -> t.name(DEFAULTS)).collect(Collectors.toCollection(TreeSet::new));
        for (String name : byName.keySet()) {
            if (!expected.contains(name)) problems.add("KafkaTopic " + name + ": not a topic of the registry (Topics.ALL: " + expected + ")");
        }
        for (Topic<?> topic : Topics.ALL) {
            String name = topic.name(DEFAULTS);
            JsonNode spec = byName.get(name);
            if (spec == null) {
                problems.add("KafkaTopic " + name + ": missing (registry topic " + topic.baseName() + ")");
                continue;
            }
            compare(problems, "KafkaTopic " + name + " spec.partitions", PARTITIONS, spec.path("partitions").asInt());
            compare(problems, "KafkaTopic " + name + " spec.replicas", REPLICATION_FACTOR, spec.path("replicas").asInt());
            Map<String, String> config = new HashMap<>();
            spec.path("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
            compare(problems, "KafkaTopic " + name + " config min.insync.replicas", String.valueOf(MIN_IN_SYNC),
                    config.remove("min.insync.replicas"));
            compare(problems, "KafkaTopic " + name + " spec.config (retention class " + topic.retention() + ")",
                    TopicConfigs.of(topic, DEFAULTS), config);
        }
        return problems;
    }

    /** The ConfigMap pinot-tables holds every file of pinot/, byte for byte, and nothing else. */
    static List<String> pinotConfigMap(ConfigMap map, Path pinotDir) throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, String> data = map.getData() == null ? Map.of() : map.getData();
        Set<String> files = new TreeSet<>();
        try (var list = Files.list(pinotDir)) {
            list.filter(f -> f.toString().endsWith(".json")).forEach(f -> files.add(f.getFileName().toString()));
        }
        for (String file : files) {
            String expected = Files.readString(pinotDir.resolve(file));
            String actual = data.get(file);
            if (actual == null) problems.add("ConfigMap pinot-tables: data." + file + " missing (run deploy/k8s/generate-pinot-configmap)");
            else if (!actual.equals(expected)) problems.add("ConfigMap pinot-tables: data." + file
                    + " differs from pinot/" + file + " (run deploy/k8s/generate-pinot-configmap)");
        }
        for (String key : data.keySet()) {
            if (!files.contains(key)) problems.add("ConfigMap pinot-tables: data." + key + " has no file in pinot/");
        }
        return problems;
    }

    /** A Flink configuration (manifest or compose) runs the jobs' checkpoint settings. */
    static List<String> checkpointSettings(String where, Map<String, String> flinkConfiguration) {
        List<String> problems = new ArrayList<>();
        Configuration code = JobEnvironment.configuration(DEFAULTS, "file:///checkpoints");
        Configuration deployed = Configuration.fromMap(flinkConfiguration);
        for (ConfigOption<?> option : CHECKPOINT_OPTIONS) {
            if (!flinkConfiguration.containsKey(option.key())) {
                problems.add(where + ": " + option.key() + " missing (the jobs use " + code.get(option) + ")");
                continue;
            }
            Object expected = code.get(option);
            Object actual;
            try {
                actual = deployed.get(option);
            } catch (RuntimeException e) {
                problems.add(where + ": " + option.key() + " = " + flinkConfiguration.get(option.key()) + " is not valid: " + e.getMessage());
                continue;
            }
            // STATE_BACKEND is a free string: Flink accepts any case.
            if (option == StateBackendOptions.STATE_BACKEND) {
                expected = String.valueOf(expected).toLowerCase();
                actual = String.valueOf(actual).toLowerCase();
            }
            compare(problems, where + " " + option.key(), expected, actual);
        }
        return problems;
    }

    /**
     * A service's Deployment and Service: every PK_* variable is a key the service declares, the HTTP port variable
     * = the container port "http" = the Service's target.
     */
    static List<String> service(Deployment deployment, Service service, Collection<ConfigKey<?>> declared, ConfigKey<Integer> port) {
        List<String> problems = new ArrayList<>();
        String name = deployment.getMetadata().getName();
        Set<String> envNames = declared.stream().map(ConfigKey::envName).collect(Collectors.toSet());
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = new HashMap<>();
        for (EnvVar var : container.getEnv()) {
            if (var.getName().startsWith("PK_") && !envNames.contains(var.getName())) {
                problems.add("Deployment " + name + ": env " + var.getName() + " is no configuration key of the service");
            }
            env.put(var.getName(), var.getValue());
        }
        String configured = env.get(port.envName());
        Integer containerPort = container.getPorts().stream().filter(p -> "http".equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst().orElse(null);
        compare(problems, "Deployment " + name + " " + port.envName() + " vs containerPort http",
                String.valueOf(containerPort), configured);
        var servicePort = service.getSpec().getPorts().get(0);
        String target = servicePort.getTargetPort().getStrVal() != null ? servicePort.getTargetPort().getStrVal()
                : String.valueOf(servicePort.getTargetPort().getIntVal());
        if (!target.equals("http") && !target.equals(String.valueOf(containerPort))) {
            problems.add("Service " + service.getMetadata().getName() + ": targetPort " + target + " is not the container's http port " + containerPort);
        }
        compare(problems, "Service " + service.getMetadata().getName() + " selector",
                deployment.getSpec().getSelector().getMatchLabels(), service.getSpec().getSelector());
        return problems;
    }

    static void compare(List<String> problems, String what, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) problems.add(what + ": expected " + expected + " (code), found " + actual);
    }
}
