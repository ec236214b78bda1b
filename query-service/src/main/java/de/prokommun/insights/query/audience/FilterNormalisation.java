package de.prokommun.insights.query.audience;

import java.util.HashSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Rewrites a filter into the one form of its meaning, so that variants that select the same people are the same
 * question (the same published answer, and no second charge ad hoc):
 * <ul>
 * <li>every gender ticked, or every household type ticked, is no restriction on that dimension (both are closed
 *     enums of the event contract, and every profile holds one of their values);</li>
 * <li>{@code activeWithinDays} beyond the age of the data (the city's purchase retention) is the same as the
 *     retention itself: no kept purchase can be older, so 3000 and 3001 days select the same people.</li>
 * </ul>
 * Districts and personas are not dropped when all are ticked: a profile may have no district or no persona, so
 * "all of them" still excludes someone.
 */
public final class FilterNormalisation {
    private FilterNormalisation() {}

    public static AudienceFilter normalise(AudienceFilter f, CityVocabulary city) {
        SortedSet<String> genders = allOf(f.genders(), city.genders()) ? new TreeSet<>() : f.genders();
        SortedSet<String> households = allOf(f.householdTypes(), city.householdTypes()) ? new TreeSet<>()
                : f.householdTypes();
        Integer active = f.activeWithinDays();
        if (active != null && city.purchaseRetentionDays() != null && active > city.purchaseRetentionDays()) {
            active = city.purchaseRetentionDays();
        }
        return new AudienceFilter(f.ageFrom(), f.ageTo(), genders, f.personas(), f.interests(), f.districts(),
                households, f.consentOffers(), f.boughtCategory(), f.customerOf(), active);
    }

    public static AudienceRequest normalise(AudienceRequest request, CityVocabulary city) {
        return new AudienceRequest(normalise(request.filter(), city), request.breakdown());
    }

    private static boolean allOf(Set<String> chosen, java.util.List<String> domain) {
        return !chosen.isEmpty() && chosen.containsAll(new HashSet<>(domain));
    }
}
