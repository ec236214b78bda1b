package de.prokommun.insights.query.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DataVersionTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static DataVersion every(Duration period) {
        return new DataVersion(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), period);
    }

    @Test
    void oneMinuteBucketsInTheCitysTimeZone() {
        DataVersion v = every(Duration.ofMinutes(1));
        assertThat(v.at(Instant.parse("2026-11-29T09:15:00Z"), BERLIN)).isEqualTo("2026-11-29T10:15:00+01:00");
        assertThat(v.at(Instant.parse("2026-11-29T09:15:59.999Z"), BERLIN)).isEqualTo("2026-11-29T10:15:00+01:00");
        assertThat(v.at(Instant.parse("2026-11-29T09:16:00Z"), BERLIN)).isEqualTo("2026-11-29T10:16:00+01:00");
    }

    @Test
    void dailyVersionsStartAtLocalMidnight() {
        DataVersion v = every(Duration.ofDays(1));
        assertThat(v.at(Instant.parse("2026-07-01T21:59:00Z"), BERLIN)).isEqualTo("2026-07-01T00:00:00+02:00");
        assertThat(v.at(Instant.parse("2026-07-01T22:00:00Z"), BERLIN)).isEqualTo("2026-07-02T00:00:00+02:00");
    }

    @Test
    void currentUsesTheClock() {
        DataVersion v = new DataVersion(Clock.fixed(Instant.parse("2026-11-29T09:15:30Z"), ZoneOffset.UTC),
                Duration.ofMinutes(5));
        assertThat(v.current(BERLIN)).isEqualTo("2026-11-29T10:15:00+01:00");
    }

    @Test
    void periodMustBeWholeSeconds() {
        assertThatThrownBy(() -> every(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> every(Duration.ofMillis(1500))).isInstanceOf(IllegalArgumentException.class);
    }
}
