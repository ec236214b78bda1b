package de.prokommun.insights.query.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SamplingScheduleTest {

    @Test
    void delaysAverageThePeriodAndComeAtEveryPhaseOfASecondLongCycle() {
        SamplingSchedule schedule = new SamplingSchedule(2_000, new SplittableRandom(42));
        long[] delays = LongStream.generate(schedule::nextDelayMillis).limit(20_000).toArray();

        assertThat(LongStream.of(delays).boxed().toList()).allSatisfy(d -> assertThat(d).isBetween(1_000L, 3_000L));
        assertThat(LongStream.of(delays).average().orElseThrow()).isCloseTo(2_000, within(20.0));
        // where the samples fall within a checkpoint interval of 1 s: every tenth of it, about equally often
        int[] phases = new int[10];
        long at = 0;
        for (long d : delays) {
            at += d;
            phases[(int) (at % 1_000 / 100)]++;
        }
        assertThat(java.util.Arrays.stream(phases).boxed().toList()).allSatisfy(n -> assertThat(n).isBetween(1_700, 2_300));
    }
}
