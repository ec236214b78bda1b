package de.prokommun.insights.query.publication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.SumClamps;
import de.prokommun.insights.privacy.city.CityBudget;
import de.prokommun.insights.privacy.city.CityBudgetStatus;
import de.prokommun.insights.query.audience.CityCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journey part of a publication run with a fake Pinot: its own release id, paid once from its share while the
 * audience cube is priced on the rest, measurements around the truth, served figures = their post-processing, a
 * restart serves the stored release unpaid, a city without a catalogue publishes no journey figures.
 */
class JourneyStatisticsTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    private static final List<String> SHOPS = List.of("baeckerei-schmidt", "optik-meyer", "metzgerei-brand");

    @TempDir
    Path dir;

    private static final class MovableClock extends Clock {
        Instant now;
        MovableClock(String at) { now = Instant.parse(at); }
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    /** 120 residents in one cube cell; 300 customers of the bakery and 500 visits in Saarn in December. */
    private static final class FakePinot implements CubeSource {
        int journeyQueries;

        @Override
        public Map<List<String>, Long> countsPerGroup(String sql, int groupColumns) {
            Map<List<String>, Long> rows = new LinkedHashMap<>();
            if (sql.contains("FROM contributions")) {
                journeyQueries++;
                if (sql.contains("'customer_month'")) rows.put(List.of("202612", "baeckerei-schmidt"), 300L);
                if (sql.contains("'visit'") && sql.contains("place") && sql.contains("SUM(count)")) {
                    rows.put(List.of("202612", "Saarn"), 500L);
                }
                if (sql.contains("'visit'") && sql.contains("weekday")) rows.put(List.of("202612", "2", "9"), 500L);
                return rows;
            }
            List<String> cell = new java.util.ArrayList<>(List.of("35-49", "FEMALE", "Saarn", "FAMILY"));
            if (groupColumns == 5) cell.add(sql.contains("personas") ? "family" : "sport");
            rows.put(cell, 120L);
            return rows;
        }
    }

    private final PrivacyPolicy policy = Musterstadt.policy();
    private final CityBudget budget = CityBudget.inMemory();
    private final FakePinot pinot = new FakePinot();
    private final MovableClock clock = new MovableClock("2026-12-01T08:00:00Z");

    private StatisticsOffice office(PublishedStatistics audience, PublishedJourney journey, List<String> shops) {
        JourneyStatistics statistics = new JourneyStatistics(pinot, "contributions", journey, new JourneyStore(dir),
                city -> new JourneyStatistics.Catalogue(shops, List.of("stadtwerke")), city -> SumClamps.DEFAULT, 2, 0.2);
        return new StatisticsOffice(new CityCatalog(Musterstadt.CITIES), pinot, "profiles", audience,
                new PublicationStore(dir), new CityBudgetLedger(budget, policy), new PublicationSchedule(4), KEY, clock,
                null, statistics);
    }

    private CityBudgetStatus status() {
        return budget.status("musterstadt", YearMonth.of(2026, 12), null, policy.city("musterstadt").cityBudget());
    }

    @Test
    void theJourneyFiguresAreTheirOwnReleaseOnTheirShareOfThePublicationShare() {
        PublishedStatistics audience = new PublishedStatistics(policy);
        PublishedJourney journey = new PublishedJourney();
        StatisticsOffice office = office(audience, journey, SHOPS);
        Publication cube = office.publishIfDue("musterstadt").orElseThrow();
        JourneyPublication j = journey.latest("musterstadt").orElseThrow();
        assertThat(j.id()).isEqualTo(cube.id() + "/journey");
        double share = policy.city("musterstadt").cityBudget().publicationRho();
        // each part priced on its fraction: the journey on 20 %, the cube on the other 80 %, per period of 4
        assertThat(j.rho()).isCloseTo(0.2 * share / 4, within(share * 1e-5));
        assertThat(cube.rho()).isCloseTo(0.8 * share / 4, within(share * 1e-3));
        assertThat(status().publicationSpentRho()).isCloseTo(cube.rho() + j.rho(), within(1e-12));

        // the measurements are the truth beneath the stated noise, the served figures their post-processing
        Map<String, Map<String, Long>> measured = j.measured().get("2026-12");
        double sigmaCustomers = Math.sqrt(Double.parseDouble(j.noise().get("customers")));
        assertThat((double) measured.get("customers").get("baeckerei-schmidt") - 300).isBetween(-6 * sigmaCustomers, 6 * sigmaCustomers);
        double sigmaPlaces = Math.sqrt(Double.parseDouble(j.noise().get("placeVisits")));
        assertThat((double) measured.get("placeVisits").get("Saarn") - 500).isBetween(-6 * sigmaPlaces, 6 * sigmaPlaces);
        Map<JourneyGroup, Map<String, Long>> asDrawn = new EnumMap<>(JourneyGroup.class);
        Map<JourneyGroup, Double> variance = new EnumMap<>(JourneyGroup.class);
        measured.forEach((g, cells) -> asDrawn.put(JourneyGroup.ofKey(g), cells));
        j.noise().forEach((g, s2) -> variance.put(JourneyGroup.ofKey(g), Double.parseDouble(s2)));
        assertThat(j.figures().get("2026-12")).isEqualTo(JourneyConsistency.publish(asDrawn, variance));
        assertThat(j.figures()).containsOnlyKeys("2026-11", "2026-12");

        // the same period: nothing counted, nothing paid again
        int queries = pinot.journeyQueries;
        clock.now = Instant.parse("2026-12-05T08:00:00Z");
        office.publishIfDue("musterstadt");
        assertThat(pinot.journeyQueries).isEqualTo(queries);
        assertThat(journey.latest("musterstadt").orElseThrow()).isSameAs(j);

        // a restart serves the stored release, unpaid
        PublishedJourney again = new PublishedJourney();
        office(new PublishedStatistics(policy), again, SHOPS).reload("musterstadt");
        assertThat(again.latest("musterstadt").orElseThrow().figures()).isEqualTo(j.figures());
        assertThat(status().publicationSpentRho()).isCloseTo(cube.rho() + j.rho(), within(1e-12));
        // ... but not for another catalogue (its rows would be wrong)
        PublishedJourney other = new PublishedJourney();
        office(new PublishedStatistics(policy), other, List.of("baeckerei-schmidt")).reload("musterstadt");
        assertThat(other.latest("musterstadt")).isEmpty();

        // four periods of all parts fit the publication share
        for (String at : List.of("2026-12-09T00:30:00Z", "2026-12-20T12:00:00Z", "2026-12-31T22:00:00Z")) {
            clock.now = Instant.parse(at);
            office.publishIfDue("musterstadt");
        }
        assertThat(journey.latest("musterstadt").orElseThrow().id()).isEqualTo("musterstadt/2026-12/4of4/journey");
        assertThat(status().publicationSpentRho()).isLessThanOrEqualTo(status().publicationCapRho())
                .isGreaterThan(0.999 * status().publicationCapRho());
    }

    @Test
    void aCityWithoutACatalogueHasNoJourneyRelease() {
        PublishedJourney journey = new PublishedJourney();
        Publication cube = office(new PublishedStatistics(policy), journey, List.of()).publishIfDue("musterstadt").orElseThrow();
        assertThat(journey.latest("musterstadt")).isEmpty();
        assertThat(pinot.journeyQueries).isZero();
        assertThat(status().publicationSpentRho()).isEqualTo(cube.rho());
    }
}
