package de.prokommun.insights.query.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageDelayTest {

    @Test
    void behindSinceTheFirstSampleBeyondWhatPinotConsumed() {
        StageDelay f = new StageDelay();
        f.sawEndOffsets(1_000, Map.of(0, 10L, 1, 5L));
        f.sawEndOffsets(3_000, Map.of(0, 20L, 1, 5L));
        f.sawEndOffsets(5_000, Map.of(0, 30L, 1, 5L));
        // Pinot consumed partition 0 up to 12: rows 12..19 arrived by t=3000, so it is 4 s behind at t=7000.
        assertThat(f.behindMillis(7_000, Map.of(0, 12L, 1, 5L))).isEqualTo(4_000);
        assertThat(f.behindMillis(7_000, Map.of(0, 30L, 1, 5L))).isZero();
        // one row still waiting is lag (marker-only gaps are closed by the monitor before this)
        assertThat(f.behindMillis(7_000, Map.of(0, 29L, 1, 5L))).isEqualTo(2_000);
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
