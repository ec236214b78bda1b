package de.prokommun.insights.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.participants.Role;
import de.prokommun.insights.simulator.city.SimParticipant;
import de.prokommun.insights.simulator.emit.ParticipantsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParticipantsFileTest {

    @Test
    void writtenDirectoryAuthenticatesEveryKeyAndHoldsOnlyDigests(@TempDir Path dir) throws Exception {
        Musterstadt city = Musterstadt.load();
        Path directory = dir.resolve("participants.json"), keysFile = dir.resolve("keys.json");
        Map<String, String> keys = ParticipantsFile.write(city.participants().all(), "musterstadt", directory, keysFile, new SecureRandom());

        ParticipantDirectory loaded = ParticipantDirectory.load(directory);
        String directoryText = Files.readString(directory);
        for (SimParticipant p : city.participants().all()) {
            String key = keys.get(p.id());
            assertThat(loaded.authenticate(key)).hasValueSatisfying(found -> {
                assertThat(found.id()).isEqualTo(p.id());
                assertThat(found.role()).isEqualTo(p.role());
                assertThat(found.city()).isEqualTo("musterstadt");
            });
            assertThat(directoryText).doesNotContain(key);
        }
        assertThat(loaded.find("musterstadt", "portal")).hasValueSatisfying(p -> assertThat(p.role()).isEqualTo(Role.PORTAL));
        assertThat(loaded.find("musterstadt", "stadtmarketing")).hasValueSatisfying(p -> assertThat(p.role()).isEqualTo(Role.OPERATOR));
        assertThat(ParticipantsFile.readKeys(keysFile)).isEqualTo(keys);
        assertThat(keys.values()).doesNotHaveDuplicates();
    }
}
