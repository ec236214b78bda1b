package de.prokommun.insights.privacy;

import de.prokommun.insights.privacy.city.CityBudgetStatus;
import java.time.Instant;

/**
 * The asker's budget. {@code remainingDay} and {@code remainingMonth}: ε of the account's own day and month
 * budget (its pacing) left for new questions; {@code renewsAt}: start of the next local day. {@code city}: the
 * city-wide monthly cap per resident, what it has spent, and this account's part of the ad-hoc share
 * ({@link CityBudgetStatus#accountCapRho()}, {@link CityBudgetStatus#accountLeftRho()}); null when the
 * disclosure control runs without the city-wide accountant.
 */
public record BudgetStatus(double remainingDay, double remainingMonth, Instant renewsAt, CityBudgetStatus city) {

    /** Without the city-wide accountant (as before issue 13). */
    public BudgetStatus(double remainingDay, double remainingMonth, Instant renewsAt) {
        this(remainingDay, remainingMonth, renewsAt, null);
    }

    BudgetStatus withCity(CityBudgetStatus cityStatus) {
        return new BudgetStatus(remainingDay, remainingMonth, renewsAt, cityStatus);
    }
}
