package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.city.CityBudget;
import java.time.YearMonth;

/** Publications paid from the city-wide accountant's publication share, with each city's cap from privacy.json. */
public final class CityBudgetLedger implements PublicationLedger {

    private final CityBudget budget;
    private final PrivacyPolicy policy;

    public CityBudgetLedger(CityBudget budget, PrivacyPolicy policy) {
        this.budget = budget;
        this.policy = policy;
    }

    @Override
    public double publicationRhoPerMonth(String city) {
        return policy.city(city).cityBudget().publicationRho();
    }

    @Override
    public boolean chargePublication(String city, YearMonth month, String releaseId, double rho) {
        return !budget.chargePublication(city, month, releaseId, rho, policy.city(city).cityBudget()).repeated();
    }
}
