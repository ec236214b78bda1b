package de.prokommun.insights.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.simulator.city.Behaviour;
import de.prokommun.insights.simulator.city.CityFiles;
import de.prokommun.insights.simulator.population.Persona;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** behaviour.json: the rules read as written, and a wrong name fails at load naming the field, not as a neutral weight. */
class BehaviourTest {

    private static final Path MUSTERSTADT = ReferenceData.repositoryCityDir();

    @Test
    void rulesAreReadInOrderFirstMatchWins() {
        Behaviour b = Musterstadt.load().behaviour();
        assertThat(b.interestLikelihood("mode", 30, false, HouseholdType.SINGLE)).isEqualTo(0.35);
        assertThat(b.interestLikelihood("mode", 30, true, HouseholdType.SINGLE)).isEqualTo(0.08);
        assertThat(b.interestLikelihood("familie", 40, true, HouseholdType.SINGLE_PARENT)).isEqualTo(0.6);
        assertThat(b.interestLikelihood("familie", 40, true, HouseholdType.COUPLE)).isEqualTo(0.03);
        assertThat(b.interestLikelihood("unlisted", 40, true, HouseholdType.COUPLE)).as("defaultInterest").isEqualTo(0.1);
        assertThat(b.preference(Persona.FAMILY, "drogerie.baby")).isEqualTo(4.0);
        assertThat(b.preference(Persona.SINGLE, "drogerie.baby")).as("unnamed: neutral").isEqualTo(1.0);
    }

    @Test
    void anUnknownCategoryIsRefusedByField() {
        assertThatThrownBy(() -> load(root -> ((ObjectNode) root.path("preferences").path("FAMILY")).put("drogerie.windeln", 2.0)))
                .hasMessageContaining("preferences.FAMILY.drogerie.windeln").hasMessageContaining("not a taxonomy category");
    }

    @Test
    void anUnknownClubKindIsRefused() {
        assertThatThrownBy(() -> load(root -> ((ObjectNode) root.path("clubs").get(0)).put("kind", "schachclub")))
                .hasMessageContaining("clubs[].kind 'schachclub'");
    }

    @Test
    void aProbabilityAboveOneIsRefusedByField() {
        assertThatThrownBy(() -> load(root -> ((ObjectNode) root.path("interests").path("sport").get(1)).put("p", 1.5)))
                .hasMessageContaining("interests.sport[1].p").hasMessageContaining("probability");
    }

    @Test
    void anUnknownPersonaIsRefused() {
        assertThatThrownBy(() -> load(root -> ((ObjectNode) root.path("preferences")).putObject("STUDENT")))
                .hasMessageContaining("preferences.STUDENT is not a simulator persona");
    }

    /** Musterstadt's files with behaviour.json changed by {@code edit}. */
    private static SimCity load(Consumer<JsonNode> edit) {
        CityFiles real = CityFiles.directory(MUSTERSTADT);
        return SimCity.load(new CityFiles(real.source()) {
            @Override
            public JsonNode read(String fileName) {
                JsonNode node = real.read(fileName);
                if (fileName.equals("behaviour.json")) edit.accept(node);
                return node;
            }
        });
    }

}
