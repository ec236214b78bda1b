package de.prokommun.insights.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The local mode's, the cluster nodes' and the tests' log configurations: our components at info, the engines'
 * warnings kept, but not Flink's metric-name collisions, which the Kafka sink's committer causes on every checkpoint
 * (the local log got 33,700 of them in 20 minutes while the filter named a logger that never wrote them).
 */
class LogConfigurationTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"log4j2-local.properties", "log4j2-node.properties", "log4j2-tests.properties"})
    void metricNameCollisionsAreNotLoggedButEngineWarningsAre(String file) throws URISyntaxException {
        System.setProperty("local.log.file", dir.resolve("local.log").toString());
        LoggerContext context = Configurator.initialize("log-configuration-test-" + file, getClass().getClassLoader(),
                Objects.requireNonNull(getClass().getClassLoader().getResource(file)).toURI());
        try {
            Configuration config = context.getConfiguration();
            assertThat(levelOf(config, "org.apache.flink.metrics.MetricGroup")).isEqualTo(Level.ERROR);
            assertThat(levelOf(config, "org.apache.flink.runtime.checkpoint.CheckpointCoordinator")).isEqualTo(Level.WARN);
            assertThat(levelOf(config, "org.apache.flink.runtime.metrics.ReporterSetup")).isEqualTo(Level.WARN);
            assertThat(levelOf(config, "org.apache.kafka.clients.producer.KafkaProducer")).isEqualTo(Level.WARN);
            assertThat(levelOf(config, "de.prokommun.insights.local.LocalMain")).isEqualTo(Level.INFO);
        } finally {
            Configurator.shutdown(context);
            System.clearProperty("local.log.file");
        }
    }

    private static Level levelOf(Configuration config, String logger) {
        return config.getLoggerConfig(logger).getLevel();
    }
}
