package de.prokommun.insights.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.ingestion.dedupe.CityRetention;
import de.prokommun.insights.ingestion.events.EventParser;
import de.prokommun.insights.ingestion.events.ParseResult;
import de.prokommun.insights.ingestion.mapping.MappingRow;
import de.prokommun.insights.ingestion.mapping.MappingValidator;
import de.prokommun.insights.ingestion.mapping.Taxonomies;
import de.prokommun.insights.participants.Participant;
import de.prokommun.insights.simulator.city.ProductGroup;
import de.prokommun.insights.simulator.city.SimParticipant;
import de.prokommun.insights.simulator.population.Resident;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator runs Jena from Jena's files alone: its residents have Jena's age × sex structure (checked against the
 * reference CSV, not the simulator's copy), and a simulated year of Jena passes ingestion's own checks for that city —
 * EventParser as the ingestion service runs it (sender = the Jena participant, city "jena"), the retention check
 * (422), the product-group mapping validation against Jena's taxonomy — and names only Jena's districts, shops,
 * categories and employers.
 */
class JenaSimulationTest {

    /** Every age-group × sex share within 1 percentage point at 100,000 residents (σ ≤ 0.07 pp per cell). */
    private static final double CELL_TOLERANCE = 0.01;
    /** And the whole table within 1.5 % total variation distance. */
    private static final double TOTAL_VARIATION_TOLERANCE = 0.015;
    private static final LocalDate REFERENCE_DATE = LocalDate.of(2020, 12, 31);
    private static final Instant FROM = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2025-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CITIES = ReferenceData.repositoryCityDir().getParent();

    private static SimCity jena;
    private static final List<SimEvent> EVENTS = new ArrayList<>();

    @BeforeAll
    static void simulate() {
        jena = SimCity.load("jena");
        jena.events(17, 3000, FROM, TO).forEachRemaining(EVENTS::add);
    }

    @Test
    void residentsHaveJenasAgeAndSexStructure() {
        int n = 100_000;
        Resident[] residents = jena.residents(3, n, REFERENCE_DATE);
        List<String[]> rows = ReferenceData.csv("city_age_sex_2020.csv").stream().filter(r -> r[0].equals("16053")).toList();
        assertThat(rows).hasSize(17);
        double total = rows.stream().mapToDouble(r -> Double.parseDouble(r[6])).sum();
        double variation = 0;
        for (String[] row : rows) {
            int[] ages = PopulationTest.ageRange(row[3]);
            for (boolean male : new boolean[] {true, false}) {
                double reference = Double.parseDouble(male ? row[4] : row[5]) / total;
                long count = 0;
                for (Resident r : residents) {
                    int age = r.ageOn(REFERENCE_DATE);
                    if (r.male == male && age >= ages[0] && age <= ages[1]) count++;
                }
                double generated = (double) count / n;
                variation += Math.abs(generated - reference) / 2;
                assertThat(generated).as("Jena %s %s", row[3], male ? "male" : "female").isCloseTo(reference, within(CELL_TOLERANCE));
            }
        }
        assertThat(variation).as("total variation distance to Jena 2020").isLessThan(TOTAL_VARIATION_TOLERANCE);
    }

    @Test
    void everyEventPassesIngestionsChecksForJena() {
        EventParser parser = new EventParser();
        Clock clock = Clock.fixed(TO.plusSeconds(600), ZoneOffset.UTC);
        CityRetention.Retention retention = new CityRetention(CITIES).of("jena");
        assertThat(EVENTS).hasSizeGreaterThan(10_000);
        Set<String> types = new HashSet<>();
        for (SimEvent e : EVENTS) {
            SimParticipant sender = jena.participants().get(e.sender());
            ParseResult result = parser.parse(new JsonObject(e.json()), new Participant(sender.id(), "jena", sender.role(),
                    sender.name()), clock.millis(), clock);
            assertThat(result.isValid()).as("%s: %s", e.json(), result).isTrue();
            assertThat(result.event().getCity()).isEqualTo("jena");
            if (e.type().equals("purchase")) {
                assertThat(retention.expired(e.eventTime(), clock.instant())).as("purchase outside retention: %s", e.json()).isFalse();
            }
            types.add(e.type());
        }
        assertThat(types).as("every kind of event occurs").contains("resident.registered", "card.linked", "purchase",
                "purchase.retracted", "gift_voucher.sold", "gift_voucher.redeemed", "employer_voucher.credited",
                "employer_voucher.redeemed", "event.checked_in", "participant.followed", "newsletter.subscribed",
                "erasure.requested", "profile.changed", "consent.changed");
    }

    @Test
    void everyShopsProductGroupsPassTheMappingValidationOfJenasTaxonomy() {
        MappingValidator validator = new MappingValidator(new Taxonomies(CITIES).forCity("jena"));
        for (SimParticipant shop : jena.participants().businesses()) {
            List<MappingRow> rows = new ArrayList<>();
            int i = 0;
            for (ProductGroup g : shop.productGroups()) rows.add(new MappingRow(i, i + 1, g.name(), g.category()));
            assertThat(validator.validate(rows, false)).as(shop.id()).isEmpty();
        }
    }

    @Test
    void eventsNameOnlyJenasDistrictsShopsCategoriesAndEmployers() throws Exception {
        Set<String> postcodes = new HashSet<>(), participants = new HashSet<>(), categories = new HashSet<>(),
                employers = new HashSet<>();
        Map<String, Set<String>> groupsOf = new HashMap<>();
        for (SimParticipant p : jena.participants().all()) {
            Set<String> groups = new HashSet<>();
            p.productGroups().forEach(g -> groups.add(g.name()));
            groupsOf.put(p.id(), groups);
        }
        for (SimEvent e : EVENTS) {
            JsonNode n = JSON.readTree(e.json());
            JsonNode data = n.path("data");
            assertThat(n.path("city").asText()).isEqualTo("jena");
            participants.add(n.path("participant").asText());
            if (data.has("postcode")) postcodes.add(data.get("postcode").asText());
            if (data.has("followed")) participants.add(data.get("followed").asText());
            if (data.has("category")) categories.add(data.get("category").asText());
            if (data.has("employer")) employers.add(data.get("employer").asText());
            for (JsonNode line : data.path("lines")) {
                assertThat(groupsOf.get(e.sender())).as("product group of %s", e.sender()).contains(line.path("productGroup").asText());
            }
        }
        assertThat(jena.city().districts()).extracting(d -> d.postcode()).containsAll(postcodes);
        assertThat(postcodes).as("residents live in every district").hasSize(5);
        assertThat(groupsOf.keySet()).containsAll(participants);
        for (String c : categories) assertThat(jena.taxonomy().contains(c)).as(c).isTrue();
        assertThat(jena.participants().employers()).extracting(em -> em.id()).containsAll(employers);
        assertThat(employers).isNotEmpty();
    }

    @Test
    void jenasOwnBehaviourComesFromItsFiles() throws Exception {
        // behaviour.json of Jena declares 'studium' for 55 % of 18–29-year-olds; Musterstadt does not know it
        long young = 0, students = 0;
        for (SimEvent e : EVENTS) {
            if (!e.type().equals("resident.registered")) continue;
            JsonNode data = JSON.readTree(e.json()).path("data");
            int age = LocalDate.parse(data.get("birthDate").asText()).until(LocalDate.ofInstant(e.eventTime(), ZoneOffset.UTC)).getYears();
            if (age < 18 || age > 29) continue;
            young++;
            for (JsonNode i : data.path("interests")) if (i.asText().equals("studium")) students++;
        }
        assertThat(young).isGreaterThan(200);
        assertThat((double) students / young).as("share of 18–29-year-olds declaring studium").isCloseTo(0.55, within(0.1));
        assertThat(Musterstadt.load().populationModel().interests()).extracting(i -> i.id()).doesNotContain("studium");
    }
}
