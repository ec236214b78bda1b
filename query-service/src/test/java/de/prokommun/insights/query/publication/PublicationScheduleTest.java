package de.prokommun.insights.query.publication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class PublicationScheduleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private final PublicationSchedule four = new PublicationSchedule(4);

    @Test
    void aMonthIsCutIntoPeriodsOfWholeLocalDays() {
        // December: days 1-8, 9-16, 17-24, 25-31.
        assertThat(four.periodAt("musterstadt", Instant.parse("2026-12-08T22:59:59Z"), BERLIN).releaseId())
                .isEqualTo("musterstadt/2026-12/1of4");
        assertThat(four.periodAt("musterstadt", Instant.parse("2026-12-08T23:00:00Z"), BERLIN).releaseId())
                .isEqualTo("musterstadt/2026-12/2of4");
        assertThat(four.periodAt("musterstadt", Instant.parse("2026-12-31T22:59:59Z"), BERLIN).releaseId())
                .isEqualTo("musterstadt/2026-12/4of4");
        // Berlin's new year begins at 23:00 UTC.
        assertThat(four.periodAt("musterstadt", Instant.parse("2026-12-31T23:00:00Z"), BERLIN).releaseId())
                .isEqualTo("musterstadt/2027-01/1of4");
        // February: 28 days, 7 each.
        assertThat(four.periodAt("musterstadt", Instant.parse("2027-02-08T12:00:00Z"), BERLIN).index()).isEqualTo(1);
    }

    @Test
    void theNextStartIsTheLocalMidnightOfTheNextPeriodOrMonth() {
        assertThat(four.nextStart(Instant.parse("2026-12-03T10:00:00Z"), BERLIN)).isEqualTo(Instant.parse("2026-12-08T23:00:00Z"));
        assertThat(four.nextStart(Instant.parse("2026-12-30T10:00:00Z"), BERLIN)).isEqualTo(Instant.parse("2026-12-31T23:00:00Z"));
        assertThat(new PublicationSchedule(1).nextStart(Instant.parse("2026-12-01T00:00:00Z"), BERLIN))
                .isEqualTo(Instant.parse("2026-12-31T23:00:00Z"));
    }
}
