package de.prokommun.insights.privacy.budget;

import de.prokommun.insights.privacy.AskerRole;
import java.util.Objects;

/** Whose budget: one participant or operator account in one city. */
public record BudgetAccount(String city, AskerRole role, String askerId) {
    public BudgetAccount {
        Objects.requireNonNull(city, "city");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(askerId, "askerId");
    }
}
