package de.prokommun.insights.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up failures of the Pinot child are reported with their reason; no Pinot is started here. */
class PinotClusterTest {

    @TempDir
    Path dir;

    @Test
    void freePortsAreSixDistinctLoopbackPorts() {
        PinotCluster.Ports p = PinotCluster.Ports.free();
        Set<Integer> ports = IntStream.of(p.zookeeper(), p.controller(), p.broker(), p.serverNetty(), p.serverAdmin(),
                p.serverGrpc()).boxed().collect(Collectors.toSet());
        assertThat(ports).hasSize(6).allMatch(port -> port > 0 && port < 65536);
    }

    @Test
    void aMissingClasspathFileIsNamed() {
        Path missing = dir.resolve("nowhere.classpath");
        Settings settings = Settings.of(Map.of("pinot.runner.classpath", missing.toString()));
        assertThatThrownBy(() -> PinotCluster.start(dir.resolve("pinot"), "127.0.0.1:1", settings))
                .hasMessageContaining(missing.toString()).hasMessageContaining("pinot-runner");
    }

    @Test
    void aConfigDirectoryWithoutTheTableFilesIsNamed() throws Exception {
        Path classpath = Files.writeString(dir.resolve("runner.classpath"), dir.toString());
        Path emptyConfig = Files.createDirectories(dir.resolve("no-tables"));
        Settings settings = Settings.of(Map.of("pinot.runner.classpath", classpath.toString(),
                "pinot.config.dir", emptyConfig.toString()));
        assertThatThrownBy(() -> PinotCluster.start(dir.resolve("pinot"), "127.0.0.1:1", settings))
                .hasMessageContaining("profiles.schema.json").hasMessageContaining("missing");
    }

    @Test
    void aChildThatDiesBeforeReadyFailsTheStartWithItsLastWords() throws Exception {
        // A classpath without the runner: the child JVM exits at once, as it would on any start-up error.
        Path classpath = Files.writeString(dir.resolve("runner.classpath"), Files.createDirectories(dir.resolve("empty")).toString());
        Settings settings = Settings.of(Map.of("pinot.runner.classpath", classpath.toString(), "pinot.heap", "64m"));
        assertThatThrownBy(() -> PinotCluster.start(dir.resolve("pinot"), "127.0.0.1:1", settings))
                .hasMessageContaining("exited with code 1")
                .hasMessageContaining("de.prokommun.insights.pinot.PinotMain");
        assertThat(Files.readString(dir.resolve("pinot").resolve("pinot-runner.log"))).contains("PinotMain");
    }

    @Test
    void theJvmOptionsSettingReachesTheChildJvm() throws Exception {
        // an option the JVM does not know: only a child started with it dies of it
        Path classpath = Files.writeString(dir.resolve("runner.classpath"), Files.createDirectories(dir.resolve("empty")).toString());
        Settings settings = Settings.of(Map.of("pinot.runner.classpath", classpath.toString(), "pinot.heap", "64m",
                "pinot.jvm-options", " -XX:TieredStopAtLevel=1   -XX:+NoSuchOptionOfTheTest "));
        assertThatThrownBy(() -> PinotCluster.start(dir.resolve("pinot"), "127.0.0.1:1", settings))
                .hasMessageContaining("NoSuchOptionOfTheTest");
        assertThat(PinotClusterConfig.words(" -XX:TieredStopAtLevel=1   -Xss1m ")).containsExactly("-XX:TieredStopAtLevel=1", "-Xss1m");
        assertThat(PinotClusterConfig.words("  ")).isEmpty();
    }
}
