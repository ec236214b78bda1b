package de.prokommun.insights.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.config.Settings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryServerClockTest {
    @Test
    void withoutAStartTheServiceRunsOnTheSystemClock() {
        Clock clock = QueryServer.clockOf(Settings.of(Map.of()));
        assertThat(Duration.between(Instant.now(), clock.instant()).abs()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aStartSetsTheClockBackAndItRunsOnFromThere() throws Exception {
        Clock clock = QueryServer.clockOf(Settings.of(Map.of(QueryConfig.CLOCK_START.name(), "2017-12-31T11:00:00Z")));
        Instant first = clock.instant();
        assertThat(Duration.between(Instant.parse("2017-12-31T11:00:00Z"), first).abs()).isLessThan(Duration.ofSeconds(5));
        Thread.sleep(20);
        assertThat(clock.instant()).isAfter(first);
    }

    @Test
    void anUnreadableStartIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> QueryServer.clockOf(Settings.of(Map.of(QueryConfig.CLOCK_START.name(), "31.12.2017"))))
                .hasMessageContaining("query.clock.start").hasMessageContaining("31.12.2017");
    }
}
