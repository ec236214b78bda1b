package de.prokommun.insights.bench.harness;

/**
 * One measured figure of the brief's target table: what is measured, in which unit, which direction is
 * better, the target (null when the brief sets none for this variant) and the published reference.
 */
public record Figure(String id, String benchmark, String title, String unit, Better better, Double target,
                     String targetText, String reference) {

    public enum Better { HIGHER, LOWER }

    /** "met", "missed by X %" ("missed" against a target of 0) or "no target" for a measured value. */
    public String verdict(double measured) {
        if (target == null) return "no target";
        boolean met = better == Better.HIGHER ? measured >= target : measured <= target;
        if (met) return "met";
        if (target == 0) return "missed"; // no relative miss of a target of none
        double missedBy = better == Better.HIGHER ? (target - measured) / target : (measured - target) / target;
        return String.format(java.util.Locale.ROOT, "missed by %.0f %%", missedBy * 100);
    }
}
