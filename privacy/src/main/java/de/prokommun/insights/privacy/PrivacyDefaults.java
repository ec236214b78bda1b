package de.prokommun.insights.privacy;

import de.prokommun.insights.privacy.city.CityBudgetPolicy;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in rules, used when a city has no privacy.json, and the defaults of the optional fields of
 * privacy.json (see docs/PRIVACY.md, section 10).
 *
 * <p>Since the city-wide cap (issue 13) the guarantee is {@link #cityBudget()}: ε 4 per resident and month over
 * everything released, whatever the number of accounts. The per-question rules of {@link #city} are only how an
 * ad-hoc question is priced within the cap's ad-hoc share: they are Musterstadt's (discrete Gaussian, ε 0.11 at
 * δ 10⁻⁶ per question, ρ ≈ 0.00022, eight allowances of about 25 questions a month, released in four portions), so a
 * city without privacy.json can ask ad-hoc questions. The former built-in rules (discrete Laplace ε 0.15 / 0.25 per
 * question at 60 allowances) could not pay a single question under the cap, and are gone. The per-account ε
 * budgets per day and month remain as pacing within a day; they are no guarantee.
 */
public final class PrivacyDefaults {
    private PrivacyDefaults() {}

    public static final ZoneId TIME_ZONE = ZoneId.of("Europe/Berlin");
    /** The default of a role's {@code mechanism} field in privacy.json (a role section always names its own ε). */
    public static final Mechanism MECHANISM = Mechanism.DISCRETE_LAPLACE;
    /** The built-in ad-hoc rules (no privacy.json): Musterstadt's, priced within the cap's ad-hoc share. */
    public static final Mechanism AD_HOC_MECHANISM = Mechanism.DISCRETE_GAUSSIAN;
    public static final BigDecimal PARTICIPANT_EPSILON = new BigDecimal("0.11");
    /** δ per ad-hoc question of the built-in rules; it only calibrates σ, the guarantee is the cap's (ε, δ). */
    public static final BigDecimal AD_HOC_DELTA = new BigDecimal("1e-6");
    public static final BigDecimal PARTICIPANT_DAY_BUDGET = new BigDecimal("3");
    public static final BigDecimal PARTICIPANT_MONTH_BUDGET = new BigDecimal("15");
    public static final BigDecimal OPERATOR_EPSILON = new BigDecimal("0.11");
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
    /**
     * The number of allowances the ad-hoc share is divided between: one account may spend one a month, any number
     * of accounts may ask until the share is spent. Eight, as Musterstadt (about 25 single counts each at the
     * built-in rules); 60 equal parts (one per account) paid three questions each, which is no use.
     */
    public static final int CITY_AD_HOC_ACCOUNTS = 8;
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
                AskerRole.PARTICIPANT, new RoleRules(AD_HOC_MECHANISM, PARTICIPANT_EPSILON, AD_HOC_DELTA, MIN_CELL_SIZE,
                        PARTICIPANT_DAY_BUDGET, PARTICIPANT_MONTH_BUDGET, display, SAME_ANSWER_WITHIN_VERSION),
                AskerRole.OPERATOR, new RoleRules(AD_HOC_MECHANISM, OPERATOR_EPSILON, AD_HOC_DELTA, MIN_CELL_SIZE,
                        OPERATOR_DAY_BUDGET, OPERATOR_MONTH_BUDGET, display, SAME_ANSWER_WITHIN_VERSION)),
                cityBudget(), dominance());
    }
}
