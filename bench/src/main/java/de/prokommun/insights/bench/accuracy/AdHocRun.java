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

    /** The whole cap spread evenly over every question of the workload: ε per question = √(2ρ/N) (Laplace, ρ = ε²/2). */
    static Result wholeCapSpread(PrivacyPolicy policy, String city, List<AudienceFilter> workload, List<Long> truths,
                                 byte[] prfKey) {
        double rhoCap = policy.city(city).cityBudget().rhoCap();
        BigDecimal epsilon = spreadEpsilon(rhoCap, workload.size());
        RoleRules rules = unpaced(policy.city(city).rules(AskerRole.PARTICIPANT), epsilon);
        return ask("whole cap spread over " + workload.size() + " questions", wholeCapAdHoc(policy, city), city, rules,
                workload, truths, prfKey);
    }

    /** ε per question so that n discrete-Laplace questions (ρ = ε²/2 each) fit ρ; rounded down to 6 decimals. */
    static BigDecimal spreadEpsilon(double rho, int n) {
        return new BigDecimal(Math.sqrt(2 * rho / n)).setScale(6, RoundingMode.FLOOR);
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
