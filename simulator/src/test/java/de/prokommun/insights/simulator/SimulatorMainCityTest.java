package de.prokommun.insights.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code SimulatorMain --city jena} writes Jena's participant directory; an unknown city is refused by name. */
class SimulatorMainCityTest {

    @TempDir
    Path dir;

    @Test
    void cityOptionChoosesTheCityOfTheJar() throws Exception {
        Path participants = dir.resolve("participants.json"), keys = dir.resolve("keys.json");
        assertThat(SimulatorMain.run(new String[] {"--city", "jena", "--participants-out", participants.toString(),
                "--keys-out", keys.toString()})).isZero();
        JsonNode list = new ObjectMapper().readTree(participants.toFile());
        assertThat(list).hasSize(60);
        for (JsonNode p : list) assertThat(p.path("city").asText()).as(p.toString()).isEqualTo("jena");
        assertThat(list.findValuesAsText("id")).contains("saalemarkt-lobeda", "portal", "stadtmarketing-jena");
    }

    @Test
    void anUnknownCityIsRefused() {
        assertThatThrownBy(() -> SimulatorMain.run(new String[] {"--city", "weimar", "--participants-out",
                dir.resolve("p.json").toString(), "--keys-out", dir.resolve("k.json").toString()}))
                .hasMessageContaining("cities/weimar/city.json");
    }
}
