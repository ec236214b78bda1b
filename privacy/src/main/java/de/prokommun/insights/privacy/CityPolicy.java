package de.prokommun.insights.privacy;

import de.prokommun.insights.privacy.city.CityBudgetPolicy;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;

/**
 * The disclosure rules of one city: its time zone (budget periods are local days and months), rules per role,
 * the city-wide monthly cap per resident, and the dominance rule that keeps participants' business figures from
 * competitors.
 */
public record CityPolicy(String city, ZoneId zone, Map<AskerRole, RoleRules> roles, CityBudgetPolicy cityBudget,
                         DominanceRule dominance) {
    public CityPolicy {
        Checks.notBlank(city, "city");
        Checks.notNull(zone, "timeZone");
        Checks.notNull(roles, "roles");
        Checks.notNull(cityBudget, "cityBudget");
        Checks.notNull(dominance, "dominance");
        for (AskerRole role : AskerRole.values())
            if (!roles.containsKey(role))
                throw new IllegalArgumentException("roles." + role.name().toLowerCase() + " is required for city " + city);
        roles = Map.copyOf(new EnumMap<>(roles));
    }

    /** A city with the default city-wide cap and dominance rule ({@link PrivacyDefaults}). */
    public CityPolicy(String city, ZoneId zone, Map<AskerRole, RoleRules> roles) {
        this(city, zone, roles, PrivacyDefaults.cityBudget());
    }

    /** A city with the default dominance rule ({@link PrivacyDefaults#dominance()}). */
    public CityPolicy(String city, ZoneId zone, Map<AskerRole, RoleRules> roles, CityBudgetPolicy cityBudget) {
        this(city, zone, roles, cityBudget, PrivacyDefaults.dominance());
    }

    public RoleRules rules(AskerRole role) {
        return roles.get(role);
    }
}
