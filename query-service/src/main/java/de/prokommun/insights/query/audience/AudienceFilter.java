package de.prokommun.insights.query.audience;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Who belongs to an audience, already validated against the city's vocabulary and normalised (values in
 * their canonical spelling, sets sorted and free of duplicates). Within one dimension any value matches,
 * across dimensions all must match; an empty set or a null age bound means "no restriction".
 * {@code consentOffers} true restricts to residents who consented to offers; false does not restrict.
 * Purchase behaviour: {@code boughtCategory} (a live purchase of the category in that year, from the profile's
 * purchase tags), {@code customerOf} (a live purchase at that participant), {@code activeWithinDays} (last live
 * purchase at most that many days before today in the city); null means no restriction.
 */
public record AudienceFilter(Integer ageFrom, Integer ageTo, SortedSet<String> genders, SortedSet<String> personas,
                             SortedSet<String> interests, SortedSet<String> districts,
                             SortedSet<String> householdTypes, boolean consentOffers,
                             BoughtCategory boughtCategory, String customerOf, Integer activeWithinDays) {

    public static final int MIN_AGE = 0;
    public static final int MAX_AGE = 120;
    public static final int MAX_ACTIVE_WITHIN_DAYS = 3660;

    /** Bought a category (either level) in a calendar year. */
    public record BoughtCategory(String category, int year) {}

    /** A filter of demographics only. */
    public AudienceFilter(Integer ageFrom, Integer ageTo, SortedSet<String> genders, SortedSet<String> personas,
                          SortedSet<String> interests, SortedSet<String> districts, SortedSet<String> householdTypes,
                          boolean consentOffers) {
        this(ageFrom, ageTo, genders, personas, interests, districts, householdTypes, consentOffers, null, null, null);
    }

    public AudienceFilter withBoughtCategory(BoughtCategory bought) {
        return new AudienceFilter(ageFrom, ageTo, genders, personas, interests, districts, householdTypes,
                consentOffers, bought, customerOf, activeWithinDays);
    }

    public AudienceFilter withCustomerOf(String participant) {
        return new AudienceFilter(ageFrom, ageTo, genders, personas, interests, districts, householdTypes,
                consentOffers, boughtCategory, participant, activeWithinDays);
    }

    public AudienceFilter withActiveWithinDays(Integer days) {
        return new AudienceFilter(ageFrom, ageTo, genders, personas, interests, districts, householdTypes,
                consentOffers, boughtCategory, customerOf, days);
    }

    public AudienceFilter {
        genders = frozen(genders);
        personas = frozen(personas);
        interests = frozen(interests);
        districts = frozen(districts);
        householdTypes = frozen(householdTypes);
    }

    public boolean hasAgeRange() {
        return ageFrom != null || ageTo != null;
    }

    /** An open lower bound is 0: "from 18" and "from 18 to 120" are the same audience. */
    public int ageFromOrMin() {
        return ageFrom == null ? MIN_AGE : ageFrom;
    }

    public int ageToOrMax() {
        return ageTo == null ? MAX_AGE : ageTo;
    }

    public static AudienceFilter everyone() {
        return new AudienceFilter(null, null, null, null, null, null, null, false);
    }

    private static SortedSet<String> frozen(SortedSet<String> values) {
        return Collections.unmodifiableSortedSet(values == null ? new TreeSet<>() : new TreeSet<>(values));
    }
}
