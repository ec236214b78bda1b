package de.prokommun.insights.query;

import java.util.List;
import java.util.TreeSet;

/**
 * How {@link DisclosureAttackIT} judges the attacker's observations b − a in the world with the known resident
 * (A) and without (B), with sampling error accounted for explicitly.
 * <p>ε-DP says: for every event E over what the attacker sees, P_A(E) ≤ e^ε · P_B(E) and P_B(E) ≤ e^ε · P_A(E).
 * For a shift of a one-dimensional distribution the most telling events are the tails {d ≥ c} and {d ≤ c};
 * every tail at every observed c is tested in both directions. With finitely many askers the proportions are
 * estimates, so an event counts as a violation only when the one-sided Wilson lower bound of the numerator's
 * proportion exceeds e^ε times the Wilson upper bound of the denominator's. Each bound is taken at level
 * α/(2m) for m tested events (Bonferroni), so the whole family wrongly flags a correct mechanism with
 * probability at most α. Wilson bounds stay honest at zero counts, where a log-ratio standard error does not:
 * an un-noised service (d = 1 always with X, 0 always without) is flagged at once.
 */
final class DifferencingStatistics {
    private DifferencingStatistics() {}

    /** Events rarer than this in both worlds tell nothing at this sample size and are not tested. */
    static final int MIN_EVENTS = 20;

    /**
     * The outcome over every tested event. {@code worstLowerRatio}: the largest lower confidence bound of a
     * ratio P_N(E)/P_D(E) (must stay ≤ e^ε). {@code worstPointRatio}: the largest point estimate among events
     * seen at least 50 times in both worlds (informative only). {@code z}: the one-sided normal quantile used.
     */
    record Verdict(int events, double z, double worstLowerRatio, String worstLowerEvent, double worstPointRatio,
                   String worstPointEvent) {

        boolean within(double epsilon) {
            return worstLowerRatio <= Math.exp(epsilon);
        }
    }

    static Verdict likelihoodRatio(List<Long> with, List<Long> without, double familyAlpha) {
        TreeSet<Long> thresholds = new TreeSet<>(with);
        thresholds.addAll(without);
        record Event(String name, long inWith, long inWithout) {}
        List<Event> events = new java.util.ArrayList<>();
        for (long c : thresholds) {
            events.add(new Event("d >= " + c, with.stream().filter(d -> d >= c).count(),
                    without.stream().filter(d -> d >= c).count()));
            events.add(new Event("d <= " + c, with.stream().filter(d -> d <= c).count(),
                    without.stream().filter(d -> d <= c).count()));
        }
        int m = 0;
        for (Event e : events) {
            if (e.inWith() >= MIN_EVENTS) m++;
            if (e.inWithout() >= MIN_EVENTS) m++;
        }
        double z = upperQuantile(familyAlpha / (2.0 * Math.max(1, m)));
        double worstLower = 0, worstPoint = 0;
        String worstLowerName = "none", worstPointName = "none";
        for (Event e : events) {
            for (boolean withOnTop : new boolean[] {true, false}) {
                long top = withOnTop ? e.inWith() : e.inWithout();
                long bottom = withOnTop ? e.inWithout() : e.inWith();
                int nTop = withOnTop ? with.size() : without.size();
                int nBottom = withOnTop ? without.size() : with.size();
                String name = (withOnTop ? "P_with/P_without of " : "P_without/P_with of ") + e.name();
                if (top >= MIN_EVENTS) {
                    double lower = wilsonLower(top, nTop, z) / wilsonUpper(bottom, nBottom, z);
                    if (lower > worstLower) {
                        worstLower = lower;
                        worstLowerName = name;
                    }
                }
                if (top >= 50 && bottom >= 50) {
                    double point = ((double) top / nTop) / ((double) bottom / nBottom);
                    if (point > worstPoint) {
                        worstPoint = point;
                        worstPointName = name;
                    }
                }
            }
        }
        return new Verdict(m, z, worstLower, worstLowerName, worstPoint, worstPointName);
    }

    /** Lower end of the one-sided Wilson score interval for k successes in n trials. */
    static double wilsonLower(long k, long n, double z) {
        return wilson(k, n, z, -1);
    }

    static double wilsonUpper(long k, long n, double z) {
        return wilson(k, n, z, +1);
    }

    private static double wilson(long k, long n, double z, int sign) {
        double p = (double) k / n, z2 = z * z;
        double centre = p + z2 / (2.0 * n);
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return Math.min(1, Math.max(0, (centre + sign * half) / (1 + z2 / n)));
    }

    /**
     * P(L₂ − L₁ = 0) for two independent discrete Laplace draws with P(x) ∝ e^(−ε|x|): the chance that
     * the attacker's b − a is exactly the true difference. With q = e^(−ε) and p₀ = (1−q)/(1+q):
     * Σ_x P(x)² = p₀² (1 + q²) / (1 − q²).
     */
    static double exactDifferenceProbability(double epsilon) {
        double q = Math.exp(-epsilon);
        double p0 = (1 - q) / (1 + q);
        return p0 * p0 * (1 + q * q) / (1 - q * q);
    }

    /** z with P(Z > z) = tail for a standard normal Z, by bisection on {@link #upperTail}. */
    static double upperQuantile(double tail) {
        double lo = 0, hi = 40;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (upperTail(mid) > tail) lo = mid;
            else hi = mid;
        }
        return (lo + hi) / 2;
    }

    /** P(Z > z) = erfc(z/√2)/2, erfc by the Chebyshev fit of Numerical Recipes (relative error < 1.2e-7). */
    static double upperTail(double z) {
        double x = z / Math.sqrt(2);
        double a = Math.abs(x);
        double t = 1 / (1 + 0.5 * a);
        double erfc = t * Math.exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return (x >= 0 ? erfc : 2 - erfc) / 2;
    }
}
