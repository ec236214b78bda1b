package de.prokommun.insights.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.simulator.SimCity;
import de.prokommun.insights.simulator.SimEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CityLifeTest {

    private static final Instant FIRST_DAY = Instant.parse("2026-10-01T00:00:00Z");
    private static final Instant FROM = Instant.parse("2026-12-01T00:00:00Z");

    /** A city with one event an hour from its first day up to the end of the period it is asked for. */
    private final CityLife.Simulation hourly = (to, prefix) -> new Iterator<>() {
        private Instant t = FIRST_DAY;
        private long n;

        @Override public boolean hasNext() { return t.isBefore(to); }

        @Override public SimEvent next() {
            SimEvent e = new SimEvent(prefix + "-" + n++, "purchase.completed", t.toEpochMilli(), "R-1", null,
                    "musterstadt", "shop", "{}");
            t = t.plus(Duration.ofHours(1));
            return e;
        }
    };

    @Test
    void goesOnPastTheEndOfEveryWindowWithoutGapOrRepeat() {
        CityLife life = new CityLife(hourly, FROM, Duration.ofDays(2), "live1");
        List<SimEvent> events = take(life, 24 * 7); // three and a half windows
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).eventTime()).isEqualTo(FROM.plus(Duration.ofHours(i)));
        }
        Set<String> ids = new HashSet<>();
        events.forEach(e -> assertThat(ids.add(e.eventId())).as("id %s handed out twice", e.eventId()).isTrue());
        assertThat(life.hasNext()).isTrue();
    }

    @Test
    void theFirstWindowKeepsTheFeedsOwnIds() {
        CityLife life = new CityLife(hourly, FROM, Duration.ofDays(2), "live1");
        assertThat(life.next().eventId()).startsWith("live1-");
        List<SimEvent> later = take(life, 24 * 3);
        assertThat(later.get(later.size() - 1).eventId()).startsWith("live1w1-");
    }

    @Test
    void aCityWithoutLifeEnds() {
        CityLife life = new CityLife((to, prefix) -> List.<SimEvent>of().iterator(), FROM, Duration.ofDays(2), "live1");
        assertThat(life.hasNext()).isFalse();
        assertThatThrownBy(life::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void windowsOfTheRealSimulatorContinueTheSameCity() {
        SimCity city = SimCity.load("musterstadt");
        CityLife.Simulation simulation = (to, prefix) -> city.generate(7, 300, FIRST_DAY, to, prefix);
        List<SimEvent> inWindows = take(new CityLife(simulation, FROM, Duration.ofDays(5), "w"), 4_000);
        Instant last = inWindows.get(inWindows.size() - 1).eventTime();
        assertThat(Duration.between(FROM, last)).as("the sample spans several windows").isGreaterThan(Duration.ofDays(15));

        List<SimEvent> inOne = take(new CityLife(simulation, FROM, Duration.ofDays(400), "w"), 4_000);
        assertThat(inWindows).extracting(CityLifeTest::withoutId).containsExactlyElementsOf(
                inOne.stream().map(CityLifeTest::withoutId).toList());
    }

    private static String withoutId(SimEvent e) {
        return e.withEventId("").toString();
    }

    private static List<SimEvent> take(Iterator<SimEvent> events, int n) {
        List<SimEvent> out = new ArrayList<>();
        while (out.size() < n && events.hasNext()) out.add(events.next());
        assertThat(out).hasSize(n);
        return out;
    }
}
