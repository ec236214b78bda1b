package de.prokommun.insights.query.publication;

import de.prokommun.insights.query.audience.AudienceFilter;
import de.prokommun.insights.query.audience.CityVocabulary;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which published cells make up an audience, if any: the slice (everybody, one persona or one published
 * interest) and the cells of that slice that the filter selects. A filter is answerable when every restriction it
 * makes is a union of cells:
 * <ul>
 * <li>age: the range starts at an age band's lower bound and ends at a band's upper bound (an end at 120 counts as
 *     the end of the band holding 120); no range means every cell, "other" band included;</li>
 * <li>genders, districts, household types: any list (cells of the listed values);</li>
 * <li>at most one persona or one published interest, not both (a person may hold several, so two personas are not
 *     a sum of the per-persona cells); a persona defined by the cube's dimensions is the cells of the slice of
 *     everybody that its rule selects ({@link CubeDomain#personaCells});</li>
 * <li>{@code activeWithinDays} of 7, 30, 90 or 365 (the {@link RecentActivity} windows, counted as of the
 *     publication's data time, which the answer names);</li>
 * <li>no consent or purchase restriction (not in the cube).</li>
 * </ul>
 * Everything else is asked ad hoc. The filter is expected normalised (all genders ticked = no restriction).
 */
public record PublishedSelection(String slice, Predicate<CellKey> cells) {

    public static Optional<PublishedSelection> of(CityVocabulary city, AudienceFilter filter) {
        if (filter.consentOffers() || filter.boughtCategory() != null || filter.customerOf() != null) {
            return Optional.empty();
        }
        if (filter.personas().size() + filter.interests().size() > 1) return Optional.empty();
        String slice = CubeDomain.ALL;
        Predicate<CellKey> cells = cell -> true;
        if (!filter.personas().isEmpty()) {
            CubeDomain.PersonaCells persona = CubeDomain.personaCells(city, filter.personas().first());
            slice = persona.slice();
            cells = persona.cells();
        }
        if (!filter.interests().isEmpty()) {
            String interest = filter.interests().first();
            if (!city.publishedInterests().contains(interest)) return Optional.empty();
            slice = CubeDomain.interestSlice(interest);
        }
        if (filter.hasAgeRange()) {
            Optional<Set<String>> bands = alignedBands(city, filter.ageFromOrMin(), filter.ageToOrMax());
            if (bands.isEmpty()) return Optional.empty();
            Set<String> chosen = bands.get();
            cells = cells.and(c -> chosen.contains(c.ageBand()));
        }
        if (!filter.genders().isEmpty()) cells = cells.and(c -> filter.genders().contains(c.gender()));
        if (!filter.districts().isEmpty()) cells = cells.and(c -> filter.districts().contains(c.district()));
        if (!filter.householdTypes().isEmpty()) cells = cells.and(c -> filter.householdTypes().contains(c.householdType()));
        if (filter.activeWithinDays() != null) {
            Optional<Set<String>> buckets = RecentActivity.within(filter.activeWithinDays());
            if (buckets.isEmpty()) return Optional.empty();
            Set<String> recent = buckets.get();
            cells = cells.and(c -> recent.contains(c.activity()));
        }
        return Optional.of(new PublishedSelection(slice, cells));
    }

    /** The bands exactly covering ages from..to, or empty when the range cuts a band. */
    static Optional<Set<String>> alignedBands(CityVocabulary city, int from, int to) {
        if (city.ageBandRanges().isEmpty()) return Optional.empty();
        Set<String> bands = new HashSet<>();
        boolean startsAtBand = false;
        boolean endsAtBand = false;
        int covered = 0;
        for (CityVocabulary.AgeBandRange band : city.ageBandRanges()) {
            int end = band.to() >= AudienceFilter.MAX_AGE && to == AudienceFilter.MAX_AGE ? to : band.to();
            if (band.from() == from) startsAtBand = true;
            if (end == to && band.from() <= to) endsAtBand = true;
            if (band.from() >= from && end <= to) {
                bands.add(band.band());
                covered += end - band.from() + 1;
            }
        }
        // Bands may leave gaps or overlap in a configuration; only an exact tiling of the range is a sum of cells.
        return startsAtBand && endsAtBand && covered == to - from + 1 ? Optional.of(Set.copyOf(bands)) : Optional.empty();
    }
}
