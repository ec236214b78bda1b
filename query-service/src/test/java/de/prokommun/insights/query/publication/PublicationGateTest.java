package de.prokommun.insights.query.publication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PublicationGateTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-09T10:00:00Z");
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    private final MovableClock clock = new MovableClock();
    private final long today = LocalDate.of(2026, 12, 9).toEpochDay();
    private final AtomicLong latestDay = new AtomicLong(today - 40);
    private final PublicationGate gate = new PublicationGate(city -> OptionalLong.of(latestDay.get()),
            Duration.ofDays(2), Duration.ofHours(6), clock, city -> BERLIN);

    @Test
    void aCityWhoseHistoryIsStillLoadingWaitsUntilItsProfilesAreCurrent() {
        assertThat(gate.mayPublish("musterstadt")).isFalse();
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        latestDay.set(today - 12); // the history feed is getting closer
        assertThat(gate.mayPublish("musterstadt")).isFalse();
        latestDay.set(today - 2);
        assertThat(gate.mayPublish("musterstadt")).isTrue();
    }

    @Test
    void aQuietCityIsPublishedAnywayAfterTheLongestWaitAndTheWaitStartsAgainOnceCurrent() {
        assertThat(gate.mayPublish("musterstadt")).isFalse();
        clock.now = clock.now.plus(Duration.ofHours(5).plusMinutes(59));
        assertThat(gate.mayPublish("musterstadt")).isFalse();
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertThat(gate.mayPublish("musterstadt")).isTrue();

        latestDay.set(today);
        assertThat(gate.mayPublish("musterstadt")).isTrue();
        latestDay.set(today - 30);
        assertThat(gate.mayPublish("musterstadt")).as("held back since now, not since the first wait").isFalse();
    }

    @Test
    void aCityWithoutProfilesWaitsAndAZeroWaitNeverHoldsBack() {
        PublicationGate empty = new PublicationGate(city -> OptionalLong.empty(), Duration.ofDays(2),
                Duration.ofHours(6), clock, city -> BERLIN);
        assertThat(empty.mayPublish("musterstadt")).isFalse();
        PublicationGate never = new PublicationGate(city -> OptionalLong.empty(), Duration.ofDays(2), Duration.ZERO,
                clock, city -> BERLIN);
        assertThat(never.mayPublish("musterstadt")).isTrue();
        assertThat(PublicationGate.open().mayPublish("musterstadt")).isTrue();
    }
}
