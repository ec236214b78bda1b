package de.prokommun.insights.privacy;

import de.prokommun.insights.privacy.city.CityBudgetPolicy;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in rules, used when a city has no privacy.json. Every value here is also the documented default
 * of the corresponding field in privacy.json (see docs/PRIVACY.md).
 */
public final class PrivacyDefaults {
    private PrivacyDefaults() {}

    public static final ZoneId TIME_ZONE = ZoneId.of("Europe/Berlin");
    public static final Mechanism MECHANISM = Mechanism.DISCRETE_LAPLACE;
    /** LinkedIn's audience analytics use ε = 0.15 per query. */
    public static final BigDecimal PARTICIPANT_EPSILON = new BigDecimal("0.15");
    public static final BigDecimal PARTICIPANT_DAY_BUDGET = new BigDecimal("3");
    public static final BigDecimal PARTICIPANT_MONTH_BUDGET = new BigDecimal("15");
    public static final BigDecimal OPERATOR_EPSILON = new BigDecimal("0.25");
    public static final BigDecimal OPERATOR_DAY_BUDGET = new BigDecimal("5");
    public static final BigDecimal OPERATOR_MONTH_BUDGET = new BigDecimal("30");
    /** Google Ads Data Hub: 10 to 50 users per row. */
    public static final int MIN_CELL_SIZE = 10;
    public static final int SIGNIFICANT_DIGITS = 3;
    public static final Locale LOCALE = Locale.GERMANY;
    public static final boolean SAME_ANSWER_WITHIN_VERSION = true;

    /** The city-wide guarantee: ε per resident per month over everything released to anyone (issue 13). */
    public static final BigDecimal CITY_EPSILON = new BigDecimal("4");
    /** δ of the ε ↔ ρ conversion; at most 10⁻⁹. */
    public static final BigDecimal CITY_DELTA = new BigDecimal("1e-9");
    /** The fraction of the city's cap reserved for ad-hoc questions; the rest is for publications. */
    public static final BigDecimal CITY_AD_HOC_SHARE = new BigDecimal("0.25");
    /** The number of accounts the ad-hoc share is divided between (Musterstadt: 58 participants, the operator, one spare). */
    public static final int CITY_AD_HOC_ACCOUNTS = 60;
    /**
     * Pacing: the ad-hoc share (each account's part and all of it) is released in this many portions of a month —
     * p/portions of it in portion p — so that no account spends its month in one morning (issue 13).
     */
    public static final int CITY_AD_HOC_PORTIONS = CityBudgetPolicy.DEFAULT_PORTIONS;

    /** (n, k) dominance: one participant above 85 % of a figure makes it sensitive (common in business statistics). */
    public static final int DOMINANCE_N = 1;
    public static final BigDecimal DOMINANCE_K_PERCENT = new BigDecimal("85");
    /** A figure of participants' business needs at least 3 contributing participants. */
    public static final int DOMINANCE_MIN_PARTICIPANTS = 3;
    /** The operator reads sensitive business figures only where the city's privacy.json says so. */
    public static final boolean DOMINANCE_OPERATOR_EXEMPT = false;

    public static DominanceRule dominance() {
        return new DominanceRule(DOMINANCE_N, DOMINANCE_K_PERCENT, DOMINANCE_MIN_PARTICIPANTS, DOMINANCE_OPERATOR_EXEMPT);
    }

    public static CityBudgetPolicy cityBudget() {
        return new CityBudgetPolicy(CITY_EPSILON, CITY_DELTA, CITY_AD_HOC_SHARE, CITY_AD_HOC_ACCOUNTS,
                CITY_AD_HOC_PORTIONS);
    }

    public static CityPolicy city(String city) {
        DisplayRule display = new DisplayRule(SIGNIFICANT_DIGITS, LOCALE);
        return new CityPolicy(city, TIME_ZONE, Map.of(
                AskerRole.PARTICIPANT, new RoleRules(MECHANISM, PARTICIPANT_EPSILON, BigDecimal.ZERO, MIN_CELL_SIZE,
                        PARTICIPANT_DAY_BUDGET, PARTICIPANT_MONTH_BUDGET, display, SAME_ANSWER_WITHIN_VERSION),
                AskerRole.OPERATOR, new RoleRules(MECHANISM, OPERATOR_EPSILON, BigDecimal.ZERO, MIN_CELL_SIZE,
                        OPERATOR_DAY_BUDGET, OPERATOR_MONTH_BUDGET, display, SAME_ANSWER_WITHIN_VERSION)),
                cityBudget(), dominance());
    }
}
