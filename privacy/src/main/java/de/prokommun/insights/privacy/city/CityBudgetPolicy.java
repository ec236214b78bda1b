package de.prokommun.insights.privacy.city;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * The city-wide monthly guarantee: per city and local calendar month, everything released to anyone about any
 * one resident is (epsilon, delta)-DP. The accountant works in zCDP (releases compose by adding ρ) and converts
 * with Bun–Steinke 2016, Prop. 1.3: ρ-zCDP implies (ρ + 2·√(ρ·ln(1/δ)), δ)-DP.
 *
 * <p>The cap is the largest ρ with ρ + 2·√(ρ·L) ≤ ε, L = ln(1/δ). Substituting x = √ρ gives x² + 2x√L − ε = 0,
 * so x = −√L + √(L + ε) = ε / (√(L + ε) + √L) (the second form avoids cancellation). The root is computed in
 * doubles, shrunk by a relative margin of 10⁻⁹ (far above the few ulps of error of log and sqrt), and then
 * verified with exact decimal arithmetic against an upper bound of L; only a ρ that passes is used, so the cap
 * can be slightly too small, never too large.
 *
 * <p>The cap is split into a share for publications (released once for everybody) and a share for ad-hoc
 * questions, which is divided equally between {@code accounts} accounts. Every share is rounded down.
 *
 * @param epsilon    ε per resident per month, 0 < ε ≤ 20
 * @param delta      δ of the conversion, 0 < δ ≤ 10⁻⁹
 * @param adHocShare the fraction of the cap reserved for ad-hoc questions, 0 ≤ share ≤ 1
 * @param accounts   how many accounts the ad-hoc share is divided between, ≥ 1
 */
public record CityBudgetPolicy(BigDecimal epsilon, BigDecimal delta, BigDecimal adHocShare, int accounts,
                               int portions) {

    /** The product's pacing: the ad-hoc share is released in four portions of a month (about weekly). */
    public static final int DEFAULT_PORTIONS = 4;

    static final BigDecimal MAX_EPSILON = new BigDecimal("20");
    static final BigDecimal MAX_DELTA = new BigDecimal("1e-9");
    private static final double ROOT_MARGIN = 1e-9;
    /** Added to the double ln(1/δ) to bound the true value from above (log is accurate to 1 ulp ≈ 4e-15 here). */
    private static final double LOG_SLACK = 1e-12;
    private static final MathContext EXACT_ENOUGH = new MathContext(60, RoundingMode.HALF_EVEN);

    public CityBudgetPolicy {
        Objects.requireNonNull(epsilon, "cityBudget.epsilon");
        Objects.requireNonNull(delta, "cityBudget.delta");
        Objects.requireNonNull(adHocShare, "cityBudget.adHocShare");
        if (epsilon.signum() <= 0 || epsilon.compareTo(MAX_EPSILON) > 0)
            throw new IllegalArgumentException("cityBudget.epsilon must be > 0 and <= " + MAX_EPSILON + ": " + epsilon);
        if (delta.signum() <= 0 || delta.compareTo(MAX_DELTA) > 0)
            throw new IllegalArgumentException("cityBudget.delta must be > 0 and <= " + MAX_DELTA.toPlainString() + ": " + delta);
        if (adHocShare.signum() < 0 || adHocShare.compareTo(BigDecimal.ONE) > 0)
            throw new IllegalArgumentException("cityBudget.adHocShare must be between 0 and 1: " + adHocShare);
        if (accounts < 1) throw new IllegalArgumentException("cityBudget.accounts must be at least 1: " + accounts);
        if (portions < 1 || portions > 28)
            throw new IllegalArgumentException("cityBudget.portions must be between 1 and 28: " + portions);
    }

    /** Without pacing: the whole ad-hoc share is available from the first day of the month (one portion). */
    public CityBudgetPolicy(BigDecimal epsilon, BigDecimal delta, BigDecimal adHocShare, int accounts) {
        this(epsilon, delta, adHocShare, accounts, 1);
    }

    /**
     * Which portion of the month a day lies in, 1 to {@link #portions()}: the month's days cut into {@code portions}
     * runs of whole days as equal as possible (31 days in 4: days 1–8, 9–16, 17–24, 25–31).
     */
    public int portionOf(LocalDate day) {
        int days = day.lengthOfMonth();
        return Math.min(portions, (day.getDayOfMonth() - 1) * portions / days + 1);
    }

    /** The first day of the portion after {@code day}'s, or null in the last portion (the month renews then). */
    public LocalDate nextPortionStart(LocalDate day) {
        int p = portionOf(day);
        if (p >= portions) return null;
        LocalDate d = day;
        while (portionOf(d) == p) d = d.plusDays(1);
        return d;
    }

    /**
     * A share's limit on {@code day}: {@code p / portions} of it in portion p (rounded down), all of it in the last
     * portion or without a day. Pacing decides when a share may be spent, never how much: the month's limit is the
     * share itself.
     */
    public BigDecimal paced(BigDecimal share, LocalDate day) {
        if (day == null || portions == 1) return share;
        int p = portionOf(day);
        if (p >= portions) return share;
        return share.multiply(BigDecimal.valueOf(p)).divide(BigDecimal.valueOf(portions), EXACT_ENOUGH.getPrecision(),
                RoundingMode.FLOOR);
    }

    /** The largest ρ per resident and month whose (ε, δ) conversion stays within {@link #epsilon()}; rounded down. */
    public double rhoCap() {
        return rhoFor(epsilon, delta);
    }

    /** ρ a month's publications may spend together: (1 − adHocShare) · cap, rounded down. */
    public double publicationRho() {
        return floorToDouble(new BigDecimal(rhoCap()).multiply(BigDecimal.ONE.subtract(adHocShare)));
    }

    /** ρ all ad-hoc questions of a month may spend together: adHocShare · cap, rounded down. */
    public double adHocRho() {
        return floorToDouble(new BigDecimal(rhoCap()).multiply(adHocShare));
    }

    /** ρ one account's ad-hoc questions may spend per month: the ad-hoc share divided by {@link #accounts()}, rounded down. */
    public double adHocRhoPerAccount() {
        return floorToDouble(new BigDecimal(adHocRho()).divide(BigDecimal.valueOf(accounts), EXACT_ENOUGH.getPrecision(), RoundingMode.FLOOR));
    }

    /** The ε of ρ-zCDP at this δ: ρ + 2·√(ρ·ln(1/δ)) (Bun–Steinke 2016, Prop. 1.3). For display; not rounded up. */
    public static double epsilonOf(double rho, double delta) {
        if (rho < 0) throw new IllegalArgumentException("rho must not be negative: " + rho);
        if (!(delta > 0 && delta < 1)) throw new IllegalArgumentException("delta must be in (0, 1): " + delta);
        return rho + 2 * Math.sqrt(rho * Math.log(1 / delta));
    }

    /** The largest safe ρ for (ε, δ); see the class comment. */
    static double rhoFor(BigDecimal epsilon, BigDecimal delta) {
        double eps = epsilon.doubleValue();
        double logInverseDelta = -Math.log(delta.doubleValue());
        double root = eps / (Math.sqrt(logInverseDelta + eps) + Math.sqrt(logInverseDelta));
        double rho = root * root * (1 - ROOT_MARGIN);
        BigDecimal logUpper = new BigDecimal(logInverseDelta + LOG_SLACK);
        for (int attempt = 0; attempt < 64; attempt++) {
            if (withinEpsilon(new BigDecimal(rho), epsilon, logUpper)) return rho;
            rho = rho * (1 - ROOT_MARGIN);
        }
        throw new IllegalStateException("cannot find a safe ρ for ε=" + epsilon + ", δ=" + delta);
    }

    /** Exactly: ρ ≤ ε and 4ρL ≤ (ε − ρ)², i.e. ρ + 2√(ρL) ≤ ε. */
    static boolean withinEpsilon(BigDecimal rho, BigDecimal epsilon, BigDecimal logInverseDelta) {
        BigDecimal rest = epsilon.subtract(rho);
        if (rest.signum() < 0) return false;
        return rho.multiply(logInverseDelta).multiply(BigDecimal.valueOf(4)).compareTo(rest.multiply(rest)) <= 0;
    }

    /** The largest double not above the exact value. */
    static double floorToDouble(BigDecimal exact) {
        double d = exact.doubleValue();
        if (new BigDecimal(d).compareTo(exact) > 0) d = Math.nextDown(d);
        return d;
    }
}
