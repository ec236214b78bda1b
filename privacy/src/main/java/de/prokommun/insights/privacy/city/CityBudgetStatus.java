package de.prokommun.insights.privacy.city;

import java.time.YearMonth;

/**
 * Spent and left of one city-month, in ρ (zCDP; these add up) and as ε at the policy's δ (these do not add up:
 * ε of a sum is less than the sum of the ε's, so only {@link #spentEpsilon()} of the total is the guarantee).
 *
 * @param account          the account asked about, or null
 * @param accountCapRho    ρ this account's ad-hoc questions may spend this month (0 without an account)
 * @param accountSpentRho  ρ this account's ad-hoc questions spent this month (0 without an account)
 */
public record CityBudgetStatus(String city, YearMonth month, double capEpsilon, double delta,
                               double capRho, double spentRho,
                               double publicationCapRho, double publicationSpentRho,
                               double adHocCapRho, double adHocSpentRho,
                               String account, double accountCapRho, double accountSpentRho) {

    public double leftRho() {
        return Math.max(0, capRho - spentRho);
    }

    public double publicationLeftRho() {
        return Math.max(0, Math.min(publicationCapRho - publicationSpentRho, leftRho()));
    }

    public double adHocLeftRho() {
        return Math.max(0, Math.min(adHocCapRho - adHocSpentRho, leftRho()));
    }

    /** What this account may still spend: its own share, never more than the city's ad-hoc share has left. */
    public double accountLeftRho() {
        return Math.max(0, Math.min(accountCapRho - accountSpentRho, adHocLeftRho()));
    }

    /** The guarantee used so far: everything released this month about any resident is (spentEpsilon, δ)-DP. */
    public double spentEpsilon() {
        return CityBudgetPolicy.epsilonOf(spentRho, delta);
    }

    /** How far the guarantee may still grow this month, in ε. */
    public double leftEpsilon() {
        return Math.max(0, capEpsilon - spentEpsilon());
    }

    /** The account's ad-hoc spending on its own, as ε (what its questions alone reveal). */
    public double accountSpentEpsilon() {
        return CityBudgetPolicy.epsilonOf(accountSpentRho, delta);
    }

    /** The month whose first local midnight renews every share. */
    public YearMonth renewsWith() {
        return month.plusMonths(1);
    }
}
