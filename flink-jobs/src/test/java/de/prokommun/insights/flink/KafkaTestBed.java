package de.prokommun.insights.flink;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.flink.runtime.JobEnvironment;
import de.prokommun.insights.testkit.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The shared set-up of the job ITs, registered as a static extension: an embedded Kafka broker for the test class
 * with every registry topic (2 partitions) under a topic prefix, the job settings that point at it, and job
 * submission with checkpoints in the class's own directory.
 */
public final class KafkaTestBed implements BeforeAllCallback, AfterAllCallback {
    private final String topicPrefix;
    private final Map<String, String> jobSettings;
    private Path dir;
    private EmbeddedKafka kafka;
    private Settings settings;

    /** {@code jobSettings}: the settings of this job beyond the common ones (broker, prefix, cities, checkpoints, parallelism 2). */
    public KafkaTestBed(String topicPrefix, Map<String, String> jobSettings) {
        this.topicPrefix = topicPrefix;
        this.jobSettings = Map.copyOf(jobSettings);
    }

    /** The MiniCluster the job ITs run on: one task manager with two slots, so every job runs with parallelism 2. */
    public static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("flink-it");
        // deleted when the class is done, after the MiniCluster has stopped writing checkpoints
        context.getStore(ExtensionContext.Namespace.create(KafkaTestBed.class, context.getUniqueId()))
                .put("dir", (ExtensionContext.Store.CloseableResource) () -> deleteQuietly(dir));
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        settings = withTopics(topicPrefix);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (kafka != null) kafka.close();
    }

    /** The settings of the class's topic prefix. */
    public Settings settings() {
        return settings;
    }

    /** Settings like {@link #settings()} under another topic prefix, whose topics are created on the same broker. */
    public Settings withTopics(String prefix) {
        Map<String, String> values = new HashMap<>(jobSettings);
        values.put(CommonConfig.KAFKA_BOOTSTRAP.name(), kafka.bootstrapServers());
        values.put(CommonConfig.TOPIC_PREFIX.name(), prefix);
        values.put(FlinkJobsConfig.CITIES_DIR.name(), Fixtures.CITIES_DIR.toString());
        values.put(FlinkJobsConfig.CHECKPOINT_INTERVAL.name(), "500ms");
        values.put(FlinkJobsConfig.PARALLELISM.name(), "2");
        Settings s = Settings.of(values);
        kafka.createTopics(s, 2);
        return s;
    }

    public KafkaIO io() {
        return io(settings);
    }

    public KafkaIO io(Settings s) {
        return new KafkaIO(kafka.bootstrapServers(), s);
    }

    /** Builds a job on the MiniCluster's environment with {@code build} and starts it; the caller cancels it. */
    public JobClient submit(String jobName, Settings s, BiConsumer<StreamExecutionEnvironment, Settings> build)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobEnvironment.configure(env, s, dir.resolve(jobName + "-checkpoints").toString());
        build.accept(env, s);
        return env.executeAsync(jobName);
    }

    private static void deleteQuietly(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
