package de.prokommun.insights.resident.data;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.resident.data.AuditTrail.Recipient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTrailTest {

    @TempDir
    Path dir;

    private static String line(String at, String city, String role, String asker, String kind, String question, String outcome) {
        return "{\"at\":\"" + at + "\",\"city\":\"" + city + "\",\"role\":\"" + role + "\",\"asker\":\"" + asker
                + "\",\"kind\":\"" + kind + "\",\"question\":\"" + question + "\",\"dataVersion\":\"v1\",\"measure\":\"count\","
                + "\"epsilon\":1.0,\"cells\":1,\"suppressedCells\":0,\"repeated\":false,\"outcome\":\"" + outcome + "\"}";
    }

    @Test
    void listsAskersOfTheCitySinceAMomentWithKindsAndCategoriesButNoFigures() throws Exception {
        Path log = Files.write(dir.resolve("audit.log"), List.of(
                line("2026-01-01T10:00:00Z", "musterstadt", "PARTICIPANT", "baeckerei-schmidt", "audience.size",
                        "audience.size?age=18..30&boughtCategory=lebensmittel.backwaren:2025", "RELEASED"),
                line("2026-02-01T10:00:00Z", "musterstadt", "PARTICIPANT", "baeckerei-schmidt", "affinity.lift",
                        "affinity.lift?breakdown=persona&category=lebensmittel.milch&cell=family", "RELEASED"),
                line("2026-02-02T10:00:00Z", "musterstadt", "OPERATOR", "stadtmarketing", "audience.size",
                        "audience.size?districts=Saarn", "RELEASED"),
                line("2026-02-03T10:00:00Z", "musterstadt", "PARTICIPANT", "budget-leer", "audience.size", "audience.size", "REFUSED_BUDGET"),
                line("2025-06-01T10:00:00Z", "musterstadt", "PARTICIPANT", "vorher", "audience.size", "audience.size", "RELEASED"),
                line("2026-02-04T10:00:00Z", "nachbarstadt", "PARTICIPANT", "fremd", "audience.size", "audience.size", "RELEASED"),
                "kaputt"));
        List<Recipient> r = new AuditTrail(log).recipients("musterstadt", Instant.parse("2025-12-01T00:00:00Z"));
        assertThat(r).extracting(Recipient::asker).containsExactly("stadtmarketing", "baeckerei-schmidt");
        Recipient baker = r.get(1);
        assertThat(baker.kinds()).containsExactly("affinity.lift", "audience.size");
        assertThat(baker.categories()).containsExactly("lebensmittel.backwaren", "lebensmittel.milch");
        assertThat(baker.about()).containsExactly("age", "boughtCategory", "breakdown", "category");
        assertThat(baker.firstAnswer()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
        assertThat(baker.lastAnswer()).isEqualTo(Instant.parse("2026-02-01T10:00:00Z"));
    }

    @Test
    void aMissingLogMeansNobodyAskedYet() {
        assertThat(new AuditTrail(dir.resolve("none.log")).recipients("musterstadt", Instant.EPOCH)).isEmpty();
    }
}
