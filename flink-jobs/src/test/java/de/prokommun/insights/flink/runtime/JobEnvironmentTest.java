package de.prokommun.insights.flink.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.config.Settings;
import java.util.Map;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.junit.jupiter.api.Test;

class JobEnvironmentTest {

    @Test
    void theCheckpointStorageKeepsOnlyAFewBytesInsideTheMetadata() {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage("file:///checkpoints").configure(
                JobEnvironment.configuration(Settings.of(Map.of()), "file:///checkpoints"), getClass().getClassLoader());
        assertThat(storage.getMinFileSizeThreshold()).as("Flink's default is 20 KB").isEqualTo(1024);
    }
}
