package de.prokommun.insights.flink.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The journey index's bitset of months against a sorted set, across word and year boundaries. */
class MonthSetTest {

    @Test
    void answersLikeASortedSetOfMonths() {
        Random rng = new Random(7);
        for (int round = 0; round < 200; round++) {
            MonthSet set = new MonthSet();
            TreeSet<Integer> expected = new TreeSet<>();
            for (int i = 0; i < 40; i++) {
                int month = (1995 + rng.nextInt(20)) * 100 + 1 + rng.nextInt(12);
                boolean present = rng.nextInt(3) > 0;
                set.set(month, present);
                if (present) expected.add(month);
                else expected.remove(month);
                int probe = (1994 + rng.nextInt(22)) * 100 + 1 + rng.nextInt(12);
                assertThat(set.contains(probe)).isEqualTo(expected.contains(probe));
                assertThat(set.before(probe)).isEqualTo(expected.lower(probe));
                assertThat(set.after(probe)).isEqualTo(expected.higher(probe));
                assertThat(set.first()).isEqualTo(expected.isEmpty() ? null : expected.first());
                assertThat(set.isEmpty()).isEqualTo(expected.isEmpty());
                int to = probe + 300;
                assertThat(set.between(probe, to)).isEqualTo(List.copyOf(expected.subSet(probe, true, to, true)));
                assertThat(set.between(probe, null)).isEqualTo(List.copyOf(expected.tailSet(probe, true)));
            }
        }
    }

    @Test
    void staysAFewWordsForDecadesOfMonths() {
        MonthSet set = new MonthSet();
        for (int year = 2000; year < 2030; year++) for (int m = 1; m <= 12; m++) set.set(year * 100 + m, true);
        assertThat(set.words).hasSizeLessThanOrEqualTo(7); // 360 months
        for (int year = 2000; year < 2029; year++) for (int m = 1; m <= 12; m++) set.set(year * 100 + m, false);
        assertThat(set.words).hasSize(1);
        assertThat(set.first()).isEqualTo(202901);
    }
}
