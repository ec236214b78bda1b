package de.prokommun.insights.query.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageDelayTest {

    @Test
    void behindAtMostSinceTheLastSampleTheConsumerHasPassed() {
        StageDelay f = new StageDelay();
        f.sawEndOffsets(1_000, Map.of(0, 10L, 1, 5L));
        f.sawEndOffsets(3_000, Map.of(0, 20L, 1, 5L));
        f.sawEndOffsets(5_000, Map.of(0, 30L, 1, 5L));
        // consumed up to 12 of partition 0: row 12 arrived after t=1000 (end 10) and by t=3000, so at t=7000 it has
        // waited more than 4 s and at most 6 s: the monitor reports the bound, 6 s
        assertThat(f.behindMillis(7_000, Map.of(0, 12L, 1, 5L))).isEqualTo(6_000);
        assertThat(f.behindMillis(7_000, Map.of(0, 30L, 1, 5L))).isZero();
        // one row still waiting is lag (marker-only gaps are closed by the monitor before this): after t=3000
        assertThat(f.behindMillis(7_000, Map.of(0, 29L, 1, 5L))).isEqualTo(4_000);
        // nothing seen before the first sample: only the time since that sample is known
        assertThat(f.behindMillis(7_000, Map.of(0, 3L, 1, 5L))).isEqualTo(6_000);
    }

    @Test
    void theBoundErrsHighByAtMostTheSamplePeriod() {
        // 200 records a second appended; the consumer is exactly 1.5 s behind (it has consumed what was appended
        // until 1.5 s ago). Sampled every 2 s the bound read up to 3.5 s; every 250 ms it reads at most 1.75 s.
        for (long period : new long[] {2_000, 250}) {
            StageDelay stage = new StageDelay();
            long worst = 0;
            for (long t = 0; t <= 60_000; t += period) {
                stage.sawEndOffsets(t, Map.of(0, t / 5));
                if (t < 10_000) continue;
                long behind = stage.behindMillis(t, Map.of(0, (t - 1_500) / 5));
                assertThat(behind).as("never below the truth").isGreaterThanOrEqualTo(1_500);
                worst = Math.max(worst, behind);
            }
            assertThat(worst).as("sampled every %d ms", period).isLessThanOrEqualTo(1_500 + period);
            if (period == 250) assertThat(worst).isLessThanOrEqualTo(1_750);
        }
    }

    @Test
    void consumedOffsetsAreReadFromEveryConsumingSegmentTakingTheSlowestReplica() throws Exception {
        String body = """
                {"_segmentToConsumingInfoMap": {
                  "profiles__0__3__20260101T0000Z": [
                    {"serverName": "s1", "consumerState": "CONSUMING", "partitionToOffsetMap": {"0": "120"}},
                    {"serverName": "s2", "consumerState": "CONSUMING", "partitionToOffsetMap": {"0": "118"}}],
                  "profiles__1__2__20260101T0000Z": [
                    {"serverName": "s1", "consumerState": "CONSUMING", "partitionToOffsetMap": {"1": "77"}}]}}
                """;
        Map<Integer, Long> out = new HashMap<>();
        PinotConsumption.collect(new ObjectMapper().readTree(body), out);
        assertThat(out).isEqualTo(Map.of(0, 118L, 1, 77L));
    }
}
