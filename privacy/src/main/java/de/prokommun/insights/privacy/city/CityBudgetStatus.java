package de.prokommun.insights.privacy.city;

import java.time.LocalDate;
import java.time.YearMonth;

/**
 * Spent and left of one city-month, in ρ (zCDP; these add up) and as ε at the policy's δ (these do not add up:
 * ε of a sum is less than the sum of the ε's, so only {@link #spentEpsilon()} of the total is the guarantee).
 *
 * @param account          the account asked about, or null
 * @param accountCapRho    ρ this account's ad-hoc questions may spend this month (0 without an account)
 * @param accountSpentRho  ρ this account's ad-hoc questions spent this month (0 without an account)
 * @param adHocReleasedRho   of the ad-hoc share, what the pacing has released so far this month (all of it in the
 *                           last portion, or when the status is not for a day)
 * @param accountReleasedRho of the account's part, what the pacing has released so far (0 without an account)
 * @param portion           the portion of the month the status is for (1-based) and {@code portions} in all
 * @param nextPortion       the first day of the next portion, or null in the last one (the month renews then)
 */
public record CityBudgetStatus(String city, YearMonth month, double capEpsilon, double delta,
                               double capRho, double spentRho,
                               double publicationCapRho, double publicationSpentRho,
                               double adHocCapRho, double adHocSpentRho,
                               String account, double accountCapRho, double accountSpentRho,
                               double adHocReleasedRho, double accountReleasedRho, int portion, int portions,
                               LocalDate nextPortion) {

    public double leftRho() {
        return Math.max(0, capRho - spentRho);
    }

    public double publicationLeftRho() {
        return Math.max(0, Math.min(publicationCapRho - publicationSpentRho, leftRho()));
    }

    public double adHocLeftRho() {
        return Math.max(0, Math.min(adHocCapRho - adHocSpentRho, leftRho()));
    }

    /** What this account may still spend this month: its own share, never more than the city's ad-hoc share has left. */
    public double accountLeftRho() {
        return Math.max(0, Math.min(accountCapRho - accountSpentRho, adHocLeftRho()));
    }

    /** What the city's ad-hoc questions may spend now: the released part of the share, less what was spent. */
    public double adHocAvailableRho() {
        return Math.max(0, Math.min(adHocReleasedRho - adHocSpentRho, leftRho()));
    }

    /** What this account may spend now: the released part of its share, never more than the city has available. */
    public double accountAvailableRho() {
        return Math.max(0, Math.min(accountReleasedRho - accountSpentRho, adHocAvailableRho()));
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
