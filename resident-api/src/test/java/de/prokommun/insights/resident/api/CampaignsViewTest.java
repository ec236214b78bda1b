package de.prokommun.insights.resident.api;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.city.City;
import de.prokommun.insights.city.CityFiles;
import de.prokommun.insights.events.PersonRecord;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CampaignsViewTest {

    private static final City MUSTERSTADT = CityFiles.find(Path.of("..", "cities"), "musterstadt").orElseThrow();

    private static PersonRecord record(String kind, String details) {
        return PersonRecord.newBuilder().setPseudonym("p").setCity("musterstadt").setRecordId(kind + ":1").setKind(kind)
                .setParticipant("baeckerei-schmidt").setEventTime(1_764_000_000_000L).setDetails(details).setVersion(1)
                .build();
    }

    @Test
    void onlyDeliveredCampaignsAreListedWithTheSenderAndTheReasonsInGermanFirst() {
        JsonObject out = CampaignsView.json(List.of(
                record("purchase", "{}"),
                record("campaign.delivered", "{\"campaign\": \"c-1\", \"participant\": \"baeckerei-schmidt\","
                        + " \"title\": \"Brötchen zum halben Preis\", \"reasons\": [\"ageBand:25-49\", \"unbekannt\"]}")),
                MUSTERSTADT);
        assertThat(out.getJsonArray("campaigns")).hasSize(1);
        JsonObject c = out.getJsonArray("campaigns").getJsonObject(0);
        assertThat(c.getString("campaign")).isEqualTo("c-1");
        assertThat(c.getString("title")).isEqualTo("Brötchen zum halben Preis");
        assertThat(c.getJsonObject("from").getString("de")).isEqualTo(MUSTERSTADT.participantLabel("baeckerei-schmidt").de());
        assertThat(c.getJsonObject("why").getString("de")).isEqualTo("weil: Alter 25–49, unbekannt");
        assertThat(c.getString("deliveredAt")).isEqualTo("2025-11-24T16:00:00Z");
    }

    @Test
    void reasonsNameTheCitysLabels() {
        String category = MUSTERSTADT.categoriesById().get("lebensmittel.backwaren").name().de();
        assertThat(CampaignsView.reason("boughtCategory:lebensmittel.backwaren:2025", MUSTERSTADT).de())
                .isEqualTo("gekauft: " + category);
        assertThat(CampaignsView.reason("customer:baeckerei-schmidt", MUSTERSTADT).de())
                .isEqualTo("Kundin oder Kunde bei " + MUSTERSTADT.participantLabel("baeckerei-schmidt").de());
        String persona = MUSTERSTADT.personas().get(0).id();
        assertThat(CampaignsView.reason("persona:" + persona, MUSTERSTADT).de())
                .isEqualTo("Persona " + MUSTERSTADT.personas().get(0).label().de());
    }
}
