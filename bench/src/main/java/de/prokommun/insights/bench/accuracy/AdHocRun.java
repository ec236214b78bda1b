package de.prokommun.insights.bench.accuracy;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.BudgetExhaustedException;
import de.prokommun.insights.privacy.CityPolicy;
import de.prokommun.insights.privacy.DisclosureControl;
import de.prokommun.insights.privacy.NoiseCalibration;
import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.Release;
import de.prokommun.insights.privacy.RoleRules;
import de.prokommun.insights.privacy.TrueCell;
import de.prokommun.insights.privacy.audit.AuditLog;
import de.prokommun.insights.privacy.budget.BudgetLedger;
import de.prokommun.insights.privacy.city.CityBudget;
import de.prokommun.insights.privacy.city.CityBudgetPolicy;
import de.prokommun.insights.query.audience.AudienceFilter;
import de.prokommun.insights.query.audience.AudienceQuery;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Today's per-question mechanism ({@link DisclosureControl}: fresh noise per question, suppression, the city-wide
 * accountant) answering the same workload, held to the same per-resident monthly total as the publication. Every
 * question is asked by one account in one month and data version; a refused question has no answer.
 */
final class AdHocRun {

    private static final String DATA_VERSION = "2026-12-01";
    /** Far above any real pacing, so that only the city-wide cap limits the questions. */
    private static final BigDecimal NO_PACING = new BigDecimal("1000000");

    record Result(String variant, BigDecimal epsilonPerQuestion, double rhoPerQuestion, int answeredCount,
                  List<Long> answers) {}

    private AdHocRun() {}

    /** The city exactly as configured: the account's part of the ad-hoc share pays; everything else is refused. */
    static Result asConfigured(PrivacyPolicy policy, String city, List<AudienceFilter> workload, List<Long> truths,
                               byte[] prfKey) {
        RoleRules rules = policy.city(city).rules(AskerRole.PARTICIPANT);
        return ask("as configured", policy, city, rules, workload, truths, prfKey);
    }

    /**
     * The whole cap spent on ad-hoc questions (no publication, one account) at the configured ε per question: the
     * most questions today's mechanism can answer for the whole city in a month.
     */
    static Result wholeCapAtConfiguredEpsilon(PrivacyPolicy policy, String city, List<AudienceFilter> workload,
                                              List<Long> truths, byte[] prfKey) {
        RoleRules rules = unpaced(policy.city(city).rules(AskerRole.PARTICIPANT), null);
        return ask("whole cap, configured ε per question", wholeCapAdHoc(policy, city), city, rules, workload, truths, prfKey);
    }

    /**
     * The whole cap spread evenly over every question of the workload: each question gets ρ = ρ_cap / N, and ε per
     * question is what the configured mechanism needs for that ρ ({@link #spreadEpsilon}).
     */
    static Result wholeCapSpread(PrivacyPolicy policy, String city, List<AudienceFilter> workload, List<Long> truths,
                                 byte[] prfKey) {
        double rhoCap = policy.city(city).cityBudget().rhoCap();
        RoleRules configured = policy.city(city).rules(AskerRole.PARTICIPANT);
        BigDecimal epsilon = spreadEpsilon(configured, rhoCap, workload.size());
        RoleRules rules = unpaced(configured, epsilon);
        return ask("whole cap spread over " + workload.size() + " questions", wholeCapAdHoc(policy, city), city, rules,
                workload, truths, prfKey);
    }

    /**
     * ε per question so that n questions of this rule's mechanism fit ρ, rounded down to 6 decimals (so n of them
     * cost at most ρ). Discrete Laplace: ρ = ε²/2 per question (Bun–Steinke 2016, Prop. 1.4), so ε = √(2ρ/n).
     * Discrete Gaussian: the calibration solves ρ + 2√(ρ·ln(1/δ)) = ε for ρ and sets σ² = 1/(2ρ) (Δ = 1;
     * {@link NoiseCalibration}), so ε = ρ_q + 2√(ρ_q·ln(1/δ)) with ρ_q = ρ/n at the rule's δ.
     */
    static BigDecimal spreadEpsilon(RoleRules rules, double rho, int n) {
        double perQuestion = rho / n;
        double epsilon = switch (rules.mechanism()) {
            case DISCRETE_LAPLACE -> Math.sqrt(2 * perQuestion);
            case DISCRETE_GAUSSIAN -> perQuestion + 2 * Math.sqrt(perQuestion * -Math.log(rules.delta().doubleValue()));
        };
        return new BigDecimal(epsilon).setScale(6, RoundingMode.FLOOR);
    }

    /**
     * The standard deviation of one count's noise under this rule at ε: discrete Gaussian √σ² with the σ² the
     * service draws with (Δ = 1); discrete Laplace √2·(1/ε), the continuous Laplace's (the discrete one's is within a
     * fraction of a per cent of it at these scales).
     */
    static double noiseStandardDeviation(RoleRules rules, BigDecimal epsilon) {
        return switch (rules.mechanism()) {
            case DISCRETE_LAPLACE -> Math.sqrt(2) / epsilon.doubleValue();
            case DISCRETE_GAUSSIAN -> {
                var sigmaSquared = NoiseCalibration.gaussianSigmaSquared(epsilon, rules.delta(), 1);
                yield Math.sqrt(new BigDecimal(sigmaSquared.numerator())
                        .divide(new BigDecimal(sigmaSquared.denominator()), java.math.MathContext.DECIMAL64).doubleValue());
            }
        };
    }

    /** How the accountant prices one count under this rule, as written in the report. */
    static String rhoFormula(RoleRules rules) {
        return switch (rules.mechanism()) {
            case DISCRETE_LAPLACE -> "ρ = ε²/2";
            case DISCRETE_GAUSSIAN -> "ρ = Δ²/(2σ²) with Δ = 1 and the σ² calibrated from ε and δ "
                    + rules.delta().stripTrailingZeros().toPlainString();
        };
    }

    private static Result ask(String variant, PrivacyPolicy policy, String city, RoleRules rules,
                              List<AudienceFilter> workload, List<Long> truths, byte[] prfKey) {
        CityPolicy c = policy.city(city);
        PrivacyPolicy asked = PrivacyPolicy.of(new CityPolicy(c.city(), c.zone(),
                Map.of(AskerRole.PARTICIPANT, rules, AskerRole.OPERATOR, c.rules(AskerRole.OPERATOR)), c.cityBudget(),
                c.dominance()));
        DisclosureControl control = new DisclosureControl(asked, BudgetLedger.inMemory(), CityBudget.inMemory(),
                AuditLog.inMemory(), prfKey, Clock.fixed(PublishedRun.AT, ZoneOffset.UTC));
        Asker asker = new Asker(city, "bench-accuracy", AskerRole.PARTICIPANT);
        List<Long> answers = new ArrayList<>(workload.size());
        int answered = 0;
        for (int i = 0; i < workload.size(); i++) {
            var question = new AudienceQuery("profiles", city, workload.get(i), Optional.empty()).question();
            try {
                Release release = control.releaseCounts(asker, question, DATA_VERSION, List.of(new TrueCell("count", truths.get(i))));
                answered++;
                answers.add(release.cells().get(0).value()); // null when suppressed below k
            } catch (BudgetExhaustedException refused) {
                answers.add(null);
            }
        }
        return new Result(variant, rules.epsilonPerQuestion(), NoiseCalibration.rho(rules, 1), answered, answers);
    }

    private static PrivacyPolicy wholeCapAdHoc(PrivacyPolicy policy, String city) {
        CityPolicy c = policy.city(city);
        CityBudgetPolicy b = c.cityBudget();
        return PrivacyPolicy.of(new CityPolicy(c.city(), c.zone(), c.roles(),
                new CityBudgetPolicy(b.epsilon(), b.delta(), BigDecimal.ONE, 1), c.dominance()));
    }

    private static RoleRules unpaced(RoleRules r, BigDecimal epsilonOrNull) {
        BigDecimal epsilon = epsilonOrNull == null ? r.epsilonPerQuestion() : epsilonOrNull;
        return new RoleRules(r.mechanism(), epsilon, r.delta(), r.minCellSize(), NO_PACING, NO_PACING, r.display(),
                r.sameAnswerWithinVersion());
    }
}
