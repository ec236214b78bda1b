package de.prokommun.insights.query.publication;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.city.CityBudget;
import de.prokommun.insights.privacy.city.CityBudgetStatus;
import de.prokommun.insights.query.audience.CityCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing over fixed true counts: once per period, paid once, noisy around the truth, reloaded after a restart. */
class StatisticsOfficeTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();

    @TempDir
    Path dir;

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        Instant now;
        MovableClock(String at) { now = Instant.parse(at); }
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    /** 120 people in one cell, with persona "student" and interest "sport"; counts every query. */
    private static final class FixedCube implements CubeSource {
        final List<String> asked = new ArrayList<>();

        @Override
        public Map<List<String>, Long> countsPerGroup(String sql, int groupColumns) {
            asked.add(sql);
            Map<List<String>, Long> rows = new LinkedHashMap<>();
            List<String> cell = List.of("35-49", "FEMALE", "Saarn", "FAMILY");
            if (groupColumns == 4) rows.put(cell, 120L);
            else if (sql.contains("personas")) rows.put(plus(cell, "student"), 120L);
            else rows.put(plus(cell, "sport"), 120L);
            // A value outside the vocabulary is counted in the "other" cells, not lost.
            if (groupColumns == 4) rows.put(List.of("35-49", "FEMALE", "Atlantis", "FAMILY"), 7L);
            return rows;
        }

        private static List<String> plus(List<String> cell, String value) {
            List<String> all = new ArrayList<>(cell);
            all.add(value);
            return all;
        }
    }

    private final PrivacyPolicy policy = Musterstadt.policy();
    private final CityBudget budget = CityBudget.inMemory();
    private final FixedCube cube = new FixedCube();
    private final MovableClock clock = new MovableClock("2026-12-01T08:00:00Z");

    private StatisticsOffice office(PublishedStatistics published) {
        return new StatisticsOffice(new CityCatalog(Musterstadt.CITIES), cube, "profiles", published,
                new PublicationStore(dir), new CityBudgetLedger(budget, policy), new PublicationSchedule(4), KEY, clock);
    }

    private CityBudgetStatus status() {
        return budget.status("musterstadt", YearMonth.of(2026, 12), null, policy.city("musterstadt").cityBudget());
    }

    @Test
    void oncePerPeriodPaidOnceAndNoisyAroundTheTruth() {
        PublishedStatistics published = new PublishedStatistics(policy);
        StatisticsOffice office = office(published);
        Publication first = office.publishIfDue("musterstadt").orElseThrow();
        assertThat(first.id()).isEqualTo("musterstadt/2026-12/1of4");
        assertThat(status().publicationSpentRho()).isEqualTo(first.rho()).isPositive();
        int queries = cube.asked.size();

        clock.now = Instant.parse("2026-12-07T20:00:00Z"); // same period (days 1-8 of 31)
        assertThat(office.publishIfDue("musterstadt").orElseThrow()).isSameAs(first);
        assertThat(cube.asked).hasSize(queries);
        assertThat(status().publicationSpentRho()).isEqualTo(first.rho());

        CellKey cell = new CellKey("35-49", "FEMALE", "Saarn", "FAMILY", "within7");
        String cells = "ageBand×gender×district×householdType";
        double sigma = Math.sqrt(Double.parseDouble(first.noise().get("all").get(cells)));
        double sigmaTotal = Math.sqrt(Double.parseDouble(first.noise().get("all").get("total")));
        // Measured: every cell of all 16 demographic marginals, of activity alone and of the five-dimensional cells
        // of every slice once, the truth plus noise of its marginal's σ.
        List<Measurement> measured = first.measurements().get("all");
        assertThat(measured).hasSize((1 + 9) * (1 + 4) * (1 + 10) * (1 + 6) + 5 + 9 * 4 * 10 * 6 * 5);
        assertThat(first.noise().get("all")).hasSize(18);
        assertThat(first.sigmaSquared()).isEqualTo(first.noise().get("all").get(cells + "×activity"));
        assertThat(measured.get(0).path()).containsExactly("total");
        assertThat(Math.abs(measured.get(0).value() - 127)).isLessThan((long) (6 * sigmaTotal));
        Map<List<String>, Long> byPath = new java.util.HashMap<>();
        measured.forEach(m -> byPath.put(m.path(), m.value()));
        assertThat(Math.abs(byPath.get(List.of(cells, "35-49", "FEMALE", "Saarn", "FAMILY")) - 120)).isLessThan((long) (6 * sigma));
        assertThat(Math.abs(byPath.get(List.of("district", "Saarn")) - 120))
                .isLessThan((long) (6 * Math.sqrt(Double.parseDouble(first.noise().get("all").get("district")))));
        long[] emptyLeaves = measured.stream().filter(m -> m.path().size() == 5 && !m.path().get(3).equals("Saarn")
                && !m.path().get(3).equals("other")).mapToLong(Measurement::value).toArray();
        double variance = java.util.Arrays.stream(emptyLeaves).mapToDouble(v -> v * (double) v).sum() / emptyLeaves.length;
        assertThat(Math.sqrt(variance)).isBetween(0.9 * sigma, 1.1 * sigma);
        // The charge is what the noise is worth: Σ over every measurement of every slice of 1/(2σ²).
        double worth = first.noise().values().stream().flatMap(m -> m.values().stream())
                .mapToDouble(s2 -> 1 / (2 * Double.parseDouble(s2))).sum();
        assertThat(first.rho()).isGreaterThanOrEqualTo(worth).isLessThan(worth * 1.000001);
        // Estimates: real-valued, nobody lost (the district outside the vocabulary is "other"); totals and the
        // district read their own measurements and everything finer, so they are within a few σ of the truth.
        // Integer cells: each within 1 of its estimate, adding up to the rounded total.
        for (String slice : List.of("all", "persona:student", "interest:sport")) {
            assertThat(first.cells().get(slice)).hasSize(10 * 9 * 4 * 6 * 5)
                    .allSatisfy((k, v) -> assertThat(Math.abs(v - first.estimates().get(slice).get(k))).isLessThan(1.0));
            assertThat(first.estimates().get(slice)).hasSize(10 * 9 * 4 * 6 * 5);
            assertThat(first.sum(slice, c -> true)).isEqualTo(Math.round(first.estimate(slice, c -> true)));
        }
        assertThat(first.estimates().get("all")).containsKey(new CellKey("35-49", "FEMALE", "other", "FAMILY", "within7"));
        assertThat(Math.abs(first.estimate("all", c -> true) - 127)).isLessThan(6 * sigmaTotal);
        assertThat(Math.abs(first.estimate("all", c -> c.district().equals("Saarn")) - 120)).isLessThan(6 * sigmaTotal);
        assertThat(Math.abs(first.estimate("persona:student", c -> true) - 120)).isLessThan(6 * sigma);
        assertThat(Math.abs(first.estimate("interest:sport", c -> true) - 120)).isLessThan(6 * sigma);
        assertThat(first.estimates().get("all").get(cell)).isGreaterThan(120 - 6 * sigma);

        // Four periods a month, each paid once, fit the publication share; the month change starts anew.
        for (String at : List.of("2026-12-09T00:30:00Z", "2026-12-20T12:00:00Z", "2026-12-31T22:00:00Z")) {
            clock.now = Instant.parse(at);
            office.publishIfDue("musterstadt");
        }
        assertThat(published.latest("musterstadt").orElseThrow().id()).isEqualTo("musterstadt/2026-12/4of4");
        assertThat(status().publicationSpentRho()).isLessThanOrEqualTo(status().publicationCapRho())
                .isGreaterThan(0.999 * status().publicationCapRho());
        clock.now = Instant.parse("2027-01-01T00:30:00Z"); // 01:30 in Berlin: January
        assertThat(office.publishIfDue("musterstadt").orElseThrow().id()).isEqualTo("musterstadt/2027-01/1of4");
    }

    @Test
    void aRestartServesTheStoredPublicationWithoutPayingOrCountingAgain() {
        Publication first = office(new PublishedStatistics(policy)).publishIfDue("musterstadt").orElseThrow();
        double spent = status().publicationSpentRho();
        int queries = cube.asked.size();

        PublishedStatistics afterRestart = new PublishedStatistics(policy);
        StatisticsOffice restarted = office(afterRestart);
        restarted.reload("musterstadt");
        assertThat(afterRestart.latest("musterstadt")).contains(first);
        assertThat(restarted.publishIfDue("musterstadt")).contains(first);
        assertThat(cube.asked).hasSize(queries);
        assertThat(status().publicationSpentRho()).isEqualTo(spent);
    }

    @Test
    void aStoredPublicationOfAnotherVocabularyIsNotServed() {
        Publication full = Musterstadt.publication(c -> 1);
        Map<String, Map<CellKey, Long>> fewer = new LinkedHashMap<>(full.cells());
        fewer.remove("interest:sport"); // as if "sport" had been added to publishedInterests since
        new PublicationStore(dir).save(new Publication(full.city(), full.id(), full.month(), full.publishedAt(),
                full.dataAsOf(), full.rho(), full.sigmaSquared(), fewer, full.measurements()));
        PublishedStatistics afterRestart = new PublishedStatistics(policy);
        office(afterRestart).reload("musterstadt");
        assertThat(afterRestart.latest("musterstadt")).isEmpty();
        new PublicationStore(dir).save(Musterstadt.publication(c -> 1));
        office(afterRestart).reload("musterstadt");
        assertThat(afterRestart.latest("musterstadt")).isPresent();
    }

    @Test
    void aPaidReleaseThatIsNotHeldIsNeverReleasedASecondTime() {
        office(new PublishedStatistics(policy)).publishIfDue("musterstadt").orElseThrow();
        // The disk copy is lost, the journal still says the release was paid: no second release with fresh noise.
        StatisticsOffice lost = new StatisticsOffice(new CityCatalog(Musterstadt.CITIES), cube, "profiles",
                new PublishedStatistics(policy), new PublicationStore(dir.resolve("empty")),
                new CityBudgetLedger(budget, policy), new PublicationSchedule(4), KEY, clock);
        assertThat(lost.publishIfDue("musterstadt")).isEmpty();
    }
}
