package de.prokommun.insights.city;

import java.io.Serializable;
import java.util.List;

/**
 * One condition block of a persona rule; ALL its conditions must hold, and one of the {@code anyOf} blocks.
 * A null field does not constrain (an empty list does: it matches nobody). Household types and genders are
 * upper case (the event contract's enums), interests and activity signals lower case.
 */
public record PersonaCondition(Integer ageFrom, Integer ageTo, List<String> householdTypes, List<String> genders,
                               List<String> interestsAny, Activity activity, List<PersonaCondition> anyOf)
        implements Serializable {
    public PersonaCondition {
        householdTypes = householdTypes == null ? null : List.copyOf(householdTypes);
        genders = genders == null ? null : List.copyOf(genders);
        interestsAny = interestsAny == null ? null : List.copyOf(interestsAny);
        anyOf = anyOf == null ? null : List.copyOf(anyOf);
    }

    /** Whether the block says nothing but age, household types and genders (what a profile row holds as columns). */
    public boolean onlyDemographic() {
        return interestsAny == null && activity == null && anyOf == null;
    }
}
