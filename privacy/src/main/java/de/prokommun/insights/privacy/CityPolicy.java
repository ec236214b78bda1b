package de.prokommun.insights.privacy;

import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;

/** The disclosure rules of one city: its time zone (budget periods are local days and months) and rules per role. */
public record CityPolicy(String city, ZoneId zone, Map<AskerRole, RoleRules> roles) {
    public CityPolicy {
        Checks.notBlank(city, "city");
        Checks.notNull(zone, "timeZone");
        Checks.notNull(roles, "roles");
        for (AskerRole role : AskerRole.values())
            if (!roles.containsKey(role))
                throw new IllegalArgumentException("roles." + role.name().toLowerCase() + " is required for city " + city);
        roles = Map.copyOf(new EnumMap<>(roles));
    }

    public RoleRules rules(AskerRole role) {
        return roles.get(role);
    }
}
