package de.prokommun.insights.query.audience;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The one dimension an audience may be broken down by. The API name is what callers send, the column is
 * the Pinot column of the profiles table; both are constants, so neither ever comes from user input.
 */
public enum Breakdown {
    AGE_BAND("ageBand", "ageBand", true),
    GENDER("gender", "gender", false),
    DISTRICT("district", "district", true),
    HOUSEHOLD_TYPE("householdType", "householdType", false),
    /** A multi-value column: a person with several personas is counted once in each of them. */
    PERSONA("persona", "personas", true);

    private final String apiName;
    private final String column;
    private final boolean openDomain;

    Breakdown(String apiName, String column, boolean openDomain) {
        this.apiName = apiName;
        this.column = column;
        this.openDomain = openDomain;
    }

    /** Whether every profile falls into at most one cell (not so for the multi-value personas). */
    public boolean cellsDisjoint() { return this != PERSONA; }

    /**
     * Whether a profile may hold a value outside the city's vocabulary (no district, no age band, no
     * persona): those are pooled in one extra cell. Genders and household types are closed enums.
     */
    public boolean hasOpenDomain() { return openDomain; }

    public String apiName() { return apiName; }

    /** The column in both Pinot tables, profiles and contributions (a constant, never user input). */
    public String column() { return column; }

    public static Optional<Breakdown> byApiName(String name) {
        return Arrays.stream(values()).filter(b -> b.apiName.equals(name)).findFirst();
    }

    public static List<String> apiNames() {
        return Arrays.stream(values()).map(Breakdown::apiName).toList();
    }
}
