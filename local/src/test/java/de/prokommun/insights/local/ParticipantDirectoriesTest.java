package de.prokommun.insights.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.participants.ParticipantDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParticipantDirectoriesTest {
    @TempDir
    Path dir;

    @Test
    void theMergedDirectoryKnowsTheParticipantsOfEveryCityUnderTheirOwnCity() throws Exception {
        Path musterstadt = write("m.json", "[{\"id\":\"stadtportal\",\"city\":\"musterstadt\",\"role\":\"PORTAL\",\"name\":\"P\","
                + "\"apiKeySha256\":\"" + ParticipantDirectory.digest("key-m") + "\"}]");
        Path jena = write("j.json", "[{\"id\":\"stadtportal\",\"city\":\"jena\",\"role\":\"PORTAL\",\"name\":\"P\","
                + "\"apiKeySha256\":\"" + ParticipantDirectory.digest("key-j") + "\"}]");
        Path merged = dir.resolve("participants.json");

        ParticipantDirectories.merge(List.of(musterstadt, jena), merged);

        ParticipantDirectory directory = ParticipantDirectory.load(merged);
        assertThat(directory.authenticate("key-m").orElseThrow().city()).isEqualTo("musterstadt");
        assertThat(directory.authenticate("key-j").orElseThrow().city()).isEqualTo("jena");
    }

    @Test
    void aParticipantOfOneCityNamedTwiceIsRefused() throws Exception {
        String entry = "[{\"id\":\"baeckerei\",\"city\":\"jena\",\"role\":\"PARTICIPANT\",\"name\":\"B\",\"apiKeySha256\":\"x\"}]";
        Path a = write("a.json", entry), b = write("b.json", entry);
        assertThatThrownBy(() -> ParticipantDirectories.merge(List.of(a, b), dir.resolve("out.json")))
                .hasMessageContaining("jena/baeckerei");
    }

    private Path write(String name, String json) throws Exception {
        return Files.writeString(dir.resolve(name), json);
    }
}
