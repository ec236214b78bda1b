package de.prokommun.insights.importer.completejourney;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.prokommun.insights.importer.CsvFile;
import de.prokommun.insights.importer.ImportReport;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.participants.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Complete Journey mapping on the real sample (../shared/data/completejourney), without a server. */
class CompleteJourneyTest {

    static final Path DATA = Path.of("../../shared/data/completejourney");
    static final Path CITIES = Path.of("../cities");

    @TempDir
    Path dir;

    @Test
    void everyLineOfTheSampleIsReadAndOnlyUnreadableOnesAreRejected() throws Exception {
        var options = new de.prokommun.insights.importer.HistoryImport.Options(java.net.URI.create("http://127.0.0.1:9"),
                Map.of(), null, CompleteJourney.columns(DATA), DATA.resolve(CompleteJourney.TRANSACTIONS), null, 1000,
                900_000, 1, de.prokommun.insights.importer.Progress.disabled());
        ImportReport report = new ImportReport("cj");
        var grouper = ReadPhase.read(options, report);

        assertThat(report.rowsRead()).isEqualTo(75_000);
        // products missing from products.csv.gz, or without a product_category there: rejected, never guessed
        Map<String, Long> reasons = report.rejections().stream()
                .collect(Collectors.toMap(ImportReport.Rejection::reason, ImportReport.Rejection::rows));
        assertThat(reasons).containsOnlyKeys("product_id: not found in products.csv.gz",
                "product_id: product_category is empty in products.csv.gz");
        assertThat(grouper.conflicts()).isEmpty();
        long rowsInReceipts = grouper.receiptsByParticipant().values().stream().flatMap(List::stream)
                .mapToLong(r -> r.rows()).sum();
        assertThat(rowsInReceipts + report.rowsRejected()).isEqualTo(75_000);
        assertThat(grouper.receiptsByParticipant().keySet()).allMatch(p -> p.startsWith("cj-store-"));
    }

    @Test
    void householdsBecomeResidentsWithAgeInTheirBandAndADeterministicPostcode() throws Exception {
        List<String> postcodes = CompleteJourney.postcodes(CITIES);
        List<ObjectNode> events = CompleteJourney.residentEvents(DATA, postcodes);
        assertThat(events).hasSize(2 * 801);
        assertThat(events).isEqualTo(CompleteJourney.residentEvents(DATA, postcodes));
        ObjectNode reg = events.get(0);
        assertThat(reg.path("type").asText()).isEqualTo("resident.registered");
        assertThat(reg.path("resident").asText()).isEqualTo("cj-resident-1");
        assertThat(reg.path("data").path("householdType").asText()).isEqualTo("COUPLE");
        assertThat(reg.path("data").path("gender").asText()).isEqualTo("UNKNOWN");
        int age = Period.between(LocalDate.parse(reg.path("data").path("birthDate").asText()), CompleteJourney.AGE_REFERENCE).getYears();
        assertThat(age).isBetween(65, 79);
        assertThat(postcodes).contains(reg.path("data").path("postcode").asText());
        assertThat(events.get(1).path("data").path("card").asText()).isEqualTo("CJ-1");
        Set<String> used = events.stream().filter(e -> e.path("type").asText().equals("resident.registered"))
                .map(e -> e.path("data").path("postcode").asText()).collect(Collectors.toSet());
        assertThat(used).hasSize(postcodes.size());
    }

    @Test
    void ageBandsAndHouseholdCompositions() {
        for (String band : List.of("19-24", "25-34", "35-44", "45-54", "55-64", "65+")) {
            int[] b = Households.band(band);
            for (int h = 0; h < 200; h++) {
                LocalDate birth = Households.profile(String.valueOf(h), band, "", List.of("45468"), LocalDate.of(2017, 1, 1)).birthDate();
                assertThat(Period.between(birth, LocalDate.of(2017, 1, 1)).getYears()).isBetween(b[0], b[1]);
            }
        }
        assertThat(Households.householdType("1 Adult Kids")).isEqualTo("SINGLE_PARENT");
        assertThat(Households.householdType("2 Adults Kids")).isEqualTo("FAMILY");
        assertThat(Households.householdType("")).isEqualTo("UNKNOWN");
    }

    @Test
    void participantsFileAuthenticatesEveryStoreThePortalAndTheOperator() throws Exception {
        Map<String, String> keys = CompleteJourney.writeParticipants(DATA, dir.resolve("participants.json"), dir.resolve("keys.json"));
        ParticipantDirectory directory = ParticipantDirectory.load(dir.resolve("participants.json"));
        assertThat(keys).containsKeys(CompleteJourney.PORTAL, CompleteJourney.OPERATOR)
                .hasSize(2 + CompleteJourney.storeIds(DATA).size());
        keys.forEach((id, key) -> assertThat(directory.authenticate(key)).hasValueSatisfying(p -> {
            assertThat(p.id()).isEqualTo(id);
            assertThat(p.role()).isEqualTo(id.equals(CompleteJourney.PORTAL) ? Role.PORTAL
                    : id.equals(CompleteJourney.OPERATOR) ? Role.OPERATOR : Role.PARTICIPANT);
        }));
        assertThat(java.nio.file.Files.readString(dir.resolve("participants.json"))).doesNotContain(keys.get(CompleteJourney.PORTAL));
    }

    @Test
    void theMappingCsvCoversTheFrequentCategoriesAndLeavesSomeUnmapped() throws Exception {
        String csv = new String(CompleteJourney.productGroupMapping(), StandardCharsets.UTF_8);
        assertThat(csv).startsWith("productGroup;category\n").contains("SOFT DRINKS;lebensmittel.getraenke")
                .doesNotContain("CAT FOOD").doesNotContain("CIGARETTES");
        try (CsvFile in = CsvFile.open(DATA.resolve("products.csv.gz"), ',')) {
            assertThat(in.header()).contains("product_category");
        }
    }
}
