package de.prokommun.insights.flink.profile;

import de.prokommun.insights.contract.Measures.Names;
import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.at;
import static de.prokommun.insights.flink.Fixtures.registration;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.DeadLetter;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseLine;
import de.prokommun.insights.events.PurchaseRetracted;
import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.events.DeadLetters;
import de.prokommun.insights.flink.ledger.Measures;
import de.prokommun.insights.validation.WriteLimits;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 1 (overflow) as a property through the profile chain's harness: purchases with extreme values up to
 * the write limits (lines at the line limit, quantities at their limit, many receipts in one month, replacements and
 * retractions) leave exactly the sums an independent BigInteger recomputation gives, and erasure returns every sum
 * to zero; values beyond any limit (as if ingestion were bypassed) become dead letters naming the sum, never a
 * wrapped sum.
 */
class LedgerOverflowPropertyTest {

    private static final String ANNA = "pseudonym-anna";
    private static final String BAKERY = "baeckerei-schmidt";
    private static final String BREAD = "lebensmittel.backwaren";
    private static final Set<String> LEDGER_MEASURES = Set.of(Names.PURCHASE, Names.UNMAPPED_LINE,
            Names.PURCHASE_CLAMPED, Names.SPEND_CLAMPED);
    private static final long[] EXTREME_CENTS = {0, 1, WriteLimits.LINE_MAX_CENTS - 1, WriteLimits.LINE_MAX_CENTS};
    private static final int[] EXTREME_QUANTITIES = {1, WriteLimits.QUANTITY_MAX};

    private static ProfileChain chain() throws Exception {
        ProfileChain chain = new ProfileChain(Fixtures.cities(), Duration.ofDays(30));
        chain.mapping(new ProductGroupMapping(Fixtures.CITY, BAKERY, "brot", BREAD, 1L));
        chain.send(anonymous(ANNA, "reg", at(2026, 3, 1), registration(1990, HouseholdType.SINGLE, true)));
        return chain;
    }

    private static AnonymousEvent purchase(String eventId, long time, String receipt, List<PurchaseLine> lines) {
        AnonymousEvent e = anonymous(ANNA, eventId, time, new Purchase(receipt, lines, List.of()));
        e.setParticipant(BAKERY);
        return e;
    }

    /** Sums per measure and category of the ledger's own measures, exactly. */
    private static Map<String, BigInteger[]> sums(List<ContributionDelta> deltas) {
        Map<String, BigInteger[]> out = new TreeMap<>();
        for (ContributionDelta d : deltas) {
            if (!LEDGER_MEASURES.contains(d.getMeasure())) continue;
            BigInteger[] s = out.computeIfAbsent(d.getMeasure() + "|" + d.getCategory(),
                    k -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO});
            s[0] = s[0].add(BigInteger.valueOf(d.getCount()));
            s[1] = s[1].add(BigInteger.valueOf(d.getQuantity()));
            s[2] = s[2].add(BigInteger.valueOf(d.getAmountCents()));
        }
        out.values().removeIf(s -> s[0].signum() == 0 && s[1].signum() == 0 && s[2].signum() == 0);
        return out;
    }

    /** Every measure and category whose exact sum of count, quantity or amount is not zero. */
    private static List<String> allMeasuresNonZero(List<ContributionDelta> deltas) {
        Map<String, BigInteger[]> out = new TreeMap<>();
        for (ContributionDelta d : deltas) {
            BigInteger[] s = out.computeIfAbsent(d.getMeasure() + "|" + d.getCategory(),
                    k -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO});
            s[0] = s[0].add(BigInteger.valueOf(d.getCount()));
            s[1] = s[1].add(BigInteger.valueOf(d.getQuantity()));
            s[2] = s[2].add(BigInteger.valueOf(d.getAmountCents()));
        }
        return out.entrySet().stream().filter(e -> e.getValue()[0].signum() != 0 || e.getValue()[1].signum() != 0
                || e.getValue()[2].signum() != 0).map(Map.Entry::getKey).toList();
    }

    private static List<DeadLetter> deadLetters(ProfileChain chain) {
        List<DeadLetter> out = new ArrayList<>();
        var side = chain.profileOperator().getSideOutput(DeadLetters.TAG);
        if (side != null) side.forEach(r -> out.add(r.getValue()));
        return out;
    }

    @Test
    void extremeValuesWithinTheLimitsSumExactlyAndErasureReturnsEveryFigureToZero() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            Random random = new Random(seed);
            try (ProfileChain chain = chain()) {
                Map<String, List<PurchaseLine>> live = new LinkedHashMap<>();
                long time = at(2026, 3, 2);
                for (int i = 0; i < 120; i++) {
                    int action = random.nextInt(10);
                    if (action == 0 && !live.isEmpty()) {
                        String receipt = new ArrayList<>(live.keySet()).get(random.nextInt(live.size()));
                        chain.process(anonymous(ANNA, "x" + i, time + i, new PurchaseRetracted(receipt)));
                        live.remove(receipt);
                        continue;
                    }
                    // a new receipt, or (action 1) a new version of a live one under a new event id
                    String receipt = action == 1 && !live.isEmpty() ? live.keySet().iterator().next() : "R-" + i;
                    List<PurchaseLine> lines = new ArrayList<>();
                    int n = 1 + random.nextInt(10);
                    for (int l = 0; l < n; l++) {
                        String group = random.nextBoolean() ? "brot" : "unbekannt";
                        lines.add(new PurchaseLine(group, EXTREME_QUANTITIES[random.nextInt(EXTREME_QUANTITIES.length)],
                                EXTREME_CENTS[random.nextInt(EXTREME_CENTS.length)]));
                    }
                    chain.process(purchase("p" + i, time + i, receipt, lines));
                    live.put(receipt, lines);
                }
                assertThat(deadLetters(chain)).as("seed " + seed + ": nothing within the limits is refused").isEmpty();
                Map<String, BigInteger[]> actual = sums(chain.deltas());
                Map<String, BigInteger> expectedSpend = new HashMap<>();
                for (List<PurchaseLine> lines : live.values()) {
                    for (PurchaseLine line : lines) {
                        String key = "brot".equals(line.getProductGroup()) ? Names.PURCHASE + "|" + BREAD
                                : Names.PURCHASE + "|" + Measures.UNMAPPED;
                        expectedSpend.merge(key, BigInteger.valueOf(line.getAmountCents()), BigInteger::add);
                    }
                }
                for (Map.Entry<String, BigInteger> e : expectedSpend.entrySet()) {
                    BigInteger[] s = actual.get(e.getKey());
                    BigInteger got = s == null ? BigInteger.ZERO : s[2];
                    assertThat(got).as("seed " + seed + ": spend " + e.getKey()).isEqualTo(e.getValue());
                }
                List<PersonRecord> records = chain.records();
                for (Map.Entry<String, List<PurchaseLine>> e : live.entrySet()) {
                    long total = e.getValue().stream().mapToLong(PurchaseLine::getAmountCents).sum();
                    PersonRecord last = records.stream().filter(r -> e.getKey().equals(r.getReceipt()))
                            .reduce((a, b) -> b).orElseThrow();
                    assertThat(last.getAmountCents()).as("seed " + seed + ": record total of " + e.getKey()).isEqualTo(total);
                }

                chain.process(anonymous(ANNA, "erase", time + 1_000, new ErasureRequested(null)));
                assertThat(sums(chain.deltas())).as("seed " + seed + ": every ledger sum back to zero").isEmpty();
                assertThat(allMeasuresNonZero(chain.deltas()))
                        .as("seed " + seed + ": the journey measures of the chain back to zero as well").isEmpty();
                assertThat(deadLetters(chain)).isEmpty();
            }
        }
    }

    @Test
    void aSumBeyondTheRangeIsADeadLetterNamingItAndNothingOfThePurchaseIsRecorded() throws Exception {
        try (ProfileChain chain = chain()) {
            long time = at(2026, 3, 2);
            chain.process(purchase("ok", time, "R-ok", List.of(new PurchaseLine("brot", 1, 450L))));
            Map<String, BigInteger[]> before = sums(chain.deltas());
            int recordsBefore = chain.records().size();

            // the case: a line of 2^63 - 1 cents and one of 1 cent (as if ingestion's limits were bypassed)
            chain.process(purchase("overflow", time + 1, "R-max",
                    List.of(new PurchaseLine("brot", 1, Long.MAX_VALUE), new PurchaseLine("brot", 1, 1L))));
            chain.process(purchase("overflow-q", time + 2, "R-q",
                    List.of(new PurchaseLine("brot", Integer.MAX_VALUE, Long.MAX_VALUE), new PurchaseLine("unbekannt", 1, 1L))));

            List<DeadLetter> letters = deadLetters(chain);
            assertThat(letters).hasSize(2);
            assertThat(letters).extracting(DeadLetter::getEventId).containsExactly("overflow", "overflow-q");
            assertThat(letters.get(0).getStage()).isEqualTo("profile");
            assertThat(letters.get(0).getReason()).contains("amountCents").contains("overflow");
            assertThat(letters.get(1).getReason()).as("each category fits, the receipt's total does not")
                    .contains("receipt R-q").contains("amountCents").contains("overflow");
            assertThat(sums(chain.deltas())).as("no sum changed").usingRecursiveComparison().isEqualTo(before);
            assertThat(chain.records()).as("no record of the refused purchases").hasSize(recordsBefore);

            chain.process(anonymous(ANNA, "erase", time + 10, new ErasureRequested(null)));
            assertThat(sums(chain.deltas())).as("erasure negates exactly what was recorded").isEmpty();
        }
    }

    @Test
    void theMonthTotalsOfThePersonCannotWrapEither() throws Exception {
        try (ProfileChain chain = chain()) {
            long time = at(2026, 3, 2);
            chain.process(purchase("big", time, "R-1", List.of(new PurchaseLine("brot", 1, Long.MAX_VALUE - 10))));
            chain.process(purchase("more", time + 1, "R-2", List.of(new PurchaseLine("brot", 1, 20L))));
            assertThat(deadLetters(chain)).singleElement().satisfies(d -> {
                assertThat(d.getEventId()).isEqualTo("more");
                assertThat(d.getReason()).contains("spend on '" + BREAD + "'");
            });
            assertThat(sums(chain.deltas()).get(Names.PURCHASE + "|" + BREAD)[2])
                    .isEqualTo(BigInteger.valueOf(Long.MAX_VALUE - 10));
            chain.process(anonymous(ANNA, "erase", time + 10, new ErasureRequested(null)));
            assertThat(sums(chain.deltas())).isEmpty();
        }
    }
}
