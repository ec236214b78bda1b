package de.prokommun.insights.query.publication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import de.prokommun.insights.privacy.SumClamps;
import de.prokommun.insights.query.journey.ParticipantCatalogue;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sensitivity and noise of the journey/voucher release, against hand-computed values and PublicationCost. */
class JourneyCostTest {

    private static final SumClamps MUSTERSTADT_CLAMPS = SumClamps.ofCity(Musterstadt.CITIES, "musterstadt");

    private static JourneyDomain domain(int participants, int months) {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < participants; i++) ids.add("p" + i);
        return JourneyDomain.of(ids, List.of("e1", "e2"), List.of("Saarn", "Broich"), YearMonth.of(2026, 12), months,
                new SumClamps(20, 50_000, 20, 20_000, 5_000));
    }

    @Test
    void theSensitivityOfEachGroupIsWhatOnePersonCanAddToItsCellsOverTheWindow() {
        JourneyDomain d = domain(4, 2);
        // distinct-person matrices: one per cell a person can reach, per month
        assertThat(JourneyGroup.CUSTOMERS.sensitivitySquared(d)).isEqualTo(4 * 2);
        assertThat(JourneyGroup.SHARED.sensitivitySquared(d)).isEqualTo(6 * 2); // 4·3/2 unordered pairs
        assertThat(JourneyGroup.FLOWS_7D.sensitivitySquared(d)).isEqualTo(12 * 2); // 4·3 ordered pairs
        // one first visit in a lifetime, whatever the window
        assertThat(JourneyGroup.FIRST_VISITS.sensitivitySquared(d)).isEqualTo(1);
        // sums: the per-person month cut, squared (L2 ≤ L1), times months
        assertThat(JourneyGroup.WEEKDAY_HOUR.sensitivitySquared(d)).isEqualTo(400L * 2);
        assertThat(JourneyGroup.PLACE_SPEND.sensitivitySquared(d)).isEqualTo(50_000L * 50_000L * 2);
        assertThat(JourneyGroup.GIFT_MATRIX.sensitivitySquared(d)).isEqualTo(20_000L * 20_000L * 2);
        assertThat(JourneyGroup.GIFT_SOLD_COUNT.sensitivitySquared(d)).isEqualTo(40L * 40L * 2); // rows ≥ 500 cents
        assertThat(JourneyGroup.GIFT_LAG_DAYS.sensitivitySquared(d)).isEqualTo((40L * 366) * (40L * 366) * 2);
        assertThat(JourneyGroup.BONUS_EARNED.sensitivitySquared(d)).isEqualTo(5_000L * 5_000L * 2);
        assertThat(JourneyGroup.totalWeight()).isEqualTo(27);
    }

    /**
     * Shared customers and flows come from a person's counted facts only, at most v = 20 visits a month
     * (docs/JOURNEY-MEASURES.md "Counted facts"): at most v·(v−1)/2 = 190 unordered pairs shared, and at most v = 20
     * flows into a month's counted visits per bucket (the first one possibly from last month's last visit) — however
     * many participants the city has. Small catalogues keep their number of cells.
     */
    @Test
    void sharedCustomersAndFlowsAreBoundedByTheCountedVisitsOfAMonth() {
        JourneyDomain d = domain(58, 2);
        assertThat(JourneyGroup.SHARED.sensitivitySquaredPerMonth(d)).isEqualTo(20 * 19 / 2);
        assertThat(JourneyGroup.SHARED.sensitivitySquared(d)).isEqualTo(190 * 2);
        for (JourneyGroup g : List.of(JourneyGroup.FLOWS_1H, JourneyGroup.FLOWS_24H, JourneyGroup.FLOWS_7D,
                JourneyGroup.FLOWS_30D)) {
            assertThat(g.sensitivitySquaredPerMonth(d)).as(g.key()).isEqualTo(20);
        }
        // customers per participant come from the purchase ledger: no bound on participants a month
        assertThat(JourneyGroup.CUSTOMERS.sensitivitySquaredPerMonth(d)).isEqualTo(58);
        // a catalogue of 5: 10 pairs and 20 ordered pairs are fewer than the visit bounds
        assertThat(JourneyGroup.SHARED.sensitivitySquaredPerMonth(domain(5, 1))).isEqualTo(10);
        assertThat(JourneyGroup.FLOWS_7D.sensitivitySquaredPerMonth(domain(5, 1))).isEqualTo(20);
        assertThat(JourneyGroup.FLOWS_7D.sensitivitySquaredPerMonth(domain(4, 1))).isEqualTo(12);
    }

    @Test
    void eachGroupGetsItsWeightOfTheShareAndNReleasesFitTheShare() {
        JourneyDomain d = domain(58, 2);
        double share = 0.0264;
        JourneyCost cost = new JourneyCost(d, 4, share);
        double sum = 0;
        for (JourneyGroup g : JourneyGroup.values()) {
            double rhoG = g.sensitivitySquared(d) / (2 * cost.sigmaSquared(g).doubleValue());
            assertThat(rhoG).as(g.key()).isCloseTo(share / 4 * g.weight() / 27, within(share * 1e-5));
            sum += rhoG;
        }
        assertThat(cost.rho()).isCloseTo(sum, within(1e-12));
        assertThat(4 * cost.rho()).isLessThan(share);
    }

    @Test
    void theNoiseIsPublicationCostsFormulaWithTheSensitivityInPlaceOfHistograms() {
        JourneyDomain d = domain(6, 1);
        JourneyCost cost = new JourneyCost(d, 4, 0.03);
        for (JourneyGroup g : List.of(JourneyGroup.CUSTOMERS, JourneyGroup.SHARED, JourneyGroup.FLOWS_1H,
                JourneyGroup.WEEKDAY_HOUR, JourneyGroup.GIFT_SOLD_COUNT)) {
            PublicationCost same = new PublicationCost(Math.toIntExact(g.sensitivitySquared(d)), 4,
                    0.03 * g.weight() / JourneyGroup.totalWeight());
            assertThat(cost.sigmaSquared(g).doubleValue()).as(g.key())
                    .isCloseTo(same.sigmaSquared().doubleValue(), within(same.sigmaSquared().doubleValue() * 1e-6));
        }
    }

    /** The numbers of docs/PRIVACY.md section 21 (Musterstadt's defaults: 58 participants, 2 months, 20 % share). */
    @Test
    void musterstadtsDefaults() {
        var catalogue = new ParticipantCatalogue(Musterstadt.CITIES).city("musterstadt");
        JourneyDomain d = JourneyDomain.of(catalogue.participants(), catalogue.employers(), Musterstadt.vocabulary().districts(),
                YearMonth.of(2026, 12), 2, MUSTERSTADT_CLAMPS);
        double publicationShare = Musterstadt.policy().city("musterstadt").cityBudget().publicationRho();
        JourneyCost cost = new JourneyCost(d, 4, publicationShare * 0.2);
        StringBuilder table = new StringBuilder();
        for (JourneyGroup g : JourneyGroup.values()) {
            table.append(String.format("%-20s Δ²=%-14d σ=%s%n", g.key(), g.sensitivitySquared(d),
                    new BigDecimal(Math.sqrt(cost.sigmaSquared(g).doubleValue())).round(new MathContext(3)).toPlainString()));
        }
        System.out.println("[journey σ at Musterstadt's defaults, ρ per release " + cost.rho() + "]\n" + table);
        assertThat(d.participants()).hasSize(58);
        assertThat(JourneyGroup.SHARED.sensitivitySquared(d)).isEqualTo(20L * 19 / 2 * 2);
        assertThat(4 * cost.rho()).isLessThan(publicationShare * 0.2);
        // the σ of the shared-customers matrix: √(4 · 27 · 380 / (2 · 0.2 · ρ_pub · 3)), about 510 residents
        double sigmaShared = Math.sqrt(cost.sigmaSquared(JourneyGroup.SHARED).doubleValue());
        assertThat(sigmaShared).isCloseTo(Math.sqrt(4.0 * 27 * 380 / (2 * 0.2 * publicationShare * 3)), within(1.0));
        // each flow bucket: √(4 · 27 · 40 / (2 · 0.2 · ρ_pub · 1)), about 290 residents (was ≈ 3,670 unbounded)
        double sigmaFlows = Math.sqrt(cost.sigmaSquared(JourneyGroup.FLOWS_7D).doubleValue());
        assertThat(sigmaFlows).isCloseTo(Math.sqrt(4.0 * 27 * 40 / (2 * 0.2 * publicationShare)), within(1.0));
    }
}
