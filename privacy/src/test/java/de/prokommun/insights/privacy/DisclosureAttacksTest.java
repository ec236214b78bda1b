package de.prokommun.insights.privacy;

import static de.prokommun.insights.privacy.TestPolicies.BAKERY;
import static de.prokommun.insights.privacy.TestPolicies.KEY;
import static de.prokommun.insights.privacy.TestPolicies.laplace;
import static de.prokommun.insights.privacy.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.privacy.audit.AuditLog;
import de.prokommun.insights.privacy.budget.BudgetLedger;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The attacks of the issue, run against the layer itself (the HTTP versions live in query-service).
 * The attacker knows one resident R and wants to learn whether R is in the data.
 */
class DisclosureAttacksTest {

    private static final double EPSILON = 0.15;
    private static final int TRIALS = 50_000;
    private static final long N = 100;

    private final MutableClock clock = new MutableClock(Instant.parse("2024-05-14T08:00:00Z"));

    private DisclosureControl control(String day, String month) {
        return new DisclosureControl(policy(laplace(Double.toString(EPSILON), 10, day, month, true)),
                BudgetLedger.inMemory(), AuditLog.inMemory(), KEY, clock);
    }

    private static long released(DisclosureControl dc, Question q, long trueCount) {
        return dc.releaseCounts(BAKERY, q, "2024-05-14", List.of(new TrueCell("", trueCount))).cells().get(0).value();
    }

    /**
     * Differencing: the attacker asks "filter F" and "filter F without R's district/age" (two different canonical
     * questions) and subtracts. If R is in the data, the first true count is N+1, else N; the second is N either
     * way. Over many independent trials (each with its own questions, hence its own noise) the distributions of
     * what the attacker sees with and without R must be within a factor e^ε of each other at every threshold
     * (the most powerful tests of a one-dimensional shift are thresholds), and the bound must be nearly
     * attained, which shows the noise has the documented scale and no more.
     */
    @Test
    void differencingTwoFiltersThatDifferByOneResidentRevealsAtMostEpsilon() {
        DisclosureControl dc = control("1000000", "1000000");
        TreeMap<Long, int[]> withR = new TreeMap<>(), withoutR = new TreeMap<>();
        TreeMap<Long, int[]> singleWith = new TreeMap<>(), singleWithout = new TreeMap<>();
        for (int i = 0; i < TRIALS; i++) {
            Question filterF = CanonicalQuestion.of("audience.size").param("trial", "with-" + i).param("persona", "family").build();
            Question filterFWithoutR = CanonicalQuestion.of("audience.size").param("trial", "with-" + i).param("persona", "family")
                    .param("exclude", "R").build();
            long a = released(dc, filterF, N + 1), b = released(dc, filterFWithoutR, N);
            withR.computeIfAbsent(a - b, k -> new int[1])[0]++;
            singleWith.computeIfAbsent(a, k -> new int[1])[0]++;

            Question g = CanonicalQuestion.of("audience.size").param("trial", "without-" + i).param("persona", "family").build();
            Question gWithoutR = CanonicalQuestion.of("audience.size").param("trial", "without-" + i).param("persona", "family")
                    .param("exclude", "R").build();
            long c = released(dc, g, N), d = released(dc, gWithoutR, N);
            withoutR.computeIfAbsent(c - d, k -> new int[1])[0]++;
            singleWithout.computeIfAbsent(c, k -> new int[1])[0]++;
        }
        // No threshold test may tell the worlds apart by more than e^ε (beyond 4 standard errors of sampling).
        assertThat(worstExcessOverEpsilon(withR, withoutR)).as("difference attack, z of ln-ratio above ε").isLessThan(4);
        assertThat(worstExcessOverEpsilon(singleWith, singleWithout)).as("one count, z of ln-ratio above ε").isLessThan(4);
        // And the bound is (nearly) attained: the noise is as documented, not larger.
        assertThat(largestLogRatio(singleWith, singleWithout, 5_000)).isGreaterThan(EPSILON * 0.85);
        assertThat(largestLogRatio(withR, withoutR, 5_000)).isGreaterThan(EPSILON * 0.5);
    }

    private record ThresholdCounts(long with, long without) {}

    /** For each threshold c, the events X >= c and X <= c, counted in both worlds. */
    private static List<ThresholdCounts> thresholdEvents(TreeMap<Long, int[]> with, TreeMap<Long, int[]> without) {
        Set<Long> keys = new HashSet<>(with.keySet());
        keys.addAll(without.keySet());
        List<ThresholdCounts> events = new java.util.ArrayList<>();
        for (long c : keys) {
            events.add(new ThresholdCounts(tail(with, c, true), tail(without, c, true)));
            events.add(new ThresholdCounts(tail(without, c, false), tail(with, c, false)));
        }
        return events;
    }

    /** max over events of (ln(a/b) - ε) / se, se = sqrt(1/a + 1/b), for events seen at least 200 times in each world. */
    private static double worstExcessOverEpsilon(TreeMap<Long, int[]> with, TreeMap<Long, int[]> without) {
        double worst = Double.NEGATIVE_INFINITY;
        for (ThresholdCounts e : thresholdEvents(with, without)) {
            if (e.with() < 200 || e.without() < 200) continue;
            double se = Math.sqrt(1.0 / e.with() + 1.0 / e.without());
            worst = Math.max(worst, (Math.log((double) e.with() / e.without()) - EPSILON) / se);
        }
        return worst;
    }

    private static double largestLogRatio(TreeMap<Long, int[]> with, TreeMap<Long, int[]> without, long minimum) {
        return thresholdEvents(with, without).stream().filter(e -> e.with() >= minimum && e.without() >= minimum)
                .mapToDouble(e -> Math.log((double) e.with() / e.without())).max().orElse(0);
    }

    private static long tail(TreeMap<Long, int[]> histogram, long c, boolean upper) {
        return (upper ? histogram.tailMap(c, true) : histogram.headMap(c, true)).values().stream().mapToLong(v -> v[0]).sum();
    }

    @Test
    void averagingTheSameQuestionManyTimesLearnsNothingNew() {
        DisclosureControl dc = control("3", "15");
        Question q = CanonicalQuestion.of("audience.size").anyOf("district", List.of("Saarn")).build();
        Set<Long> answers = new HashSet<>();
        for (int i = 0; i < 10_000; i++) answers.add(released(dc, q, 137));
        assertThat(answers).hasSize(1);
        assertThat(dc.budget(BAKERY).remainingDay()).isEqualTo(3 - EPSILON);
    }

    @Test
    void averagingOverPhrasingsOfTheSameQuestionLearnsNothingNew() {
        DisclosureControl dc = control("3", "15");
        List<Question> phrasings = List.of(
                CanonicalQuestion.of("audience.size").anyOf("district", List.of("Saarn", "Broich")).param("gender", "f").build(),
                CanonicalQuestion.of("audience.size").param("gender", "f").anyOf("district", List.of("Broich", "Saarn")).build(),
                CanonicalQuestion.of("audience.size").anyOf("district", List.of(" Broich", "Saarn ", "Saarn")).param("gender", " f").build(),
                CanonicalQuestion.of("audience.size").anyOf("district", List.of("Saarn", "Broich", "Broich")).anyOf("gender", List.of("f")).build());
        Set<Long> answers = new HashSet<>();
        for (Question q : phrasings) answers.add(released(dc, q, 4321));
        assertThat(answers).hasSize(1);
        assertThat(dc.budget(BAKERY).remainingDay()).isEqualTo(3 - EPSILON);
    }

    @Test
    void averagingAcrossDataVersionsIsCappedByTheBudget() {
        DisclosureControl dc = control("3", "15");
        Question q = CanonicalQuestion.of("audience.size").anyOf("district", List.of("Saarn")).build();
        int answered = 0;
        for (int version = 0; version < 20; version++) {
            dc.releaseCounts(BAKERY, q, "hour-" + version, List.of(new TrueCell("", 137)));
            answered++;
        }
        assertThat(answered).isEqualTo(20); // 20 x 0.15 = 3.0, the day budget
        assertThatThrownBy(() -> dc.releaseCounts(BAKERY, q, "hour-20", List.of(new TrueCell("", 137))))
                .isInstanceOf(BudgetExhaustedException.class);
    }
}
