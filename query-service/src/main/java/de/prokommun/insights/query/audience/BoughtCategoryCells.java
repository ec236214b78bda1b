package de.prokommun.insights.query.audience;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.query.insights.SegmentFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The cells an audience answer on a bought category reveals, weighed with the dominance rule before anything is
 * counted (docs/PRIVACY.md section 24): the category's total, the segment the filter narrows it to (a competitor
 * asking "bought feinkost in 2026, aged 18 to 24" reads the sales to that segment, which one seller may dominate
 * while the whole category is balanced), each row of a breakdown within that segment — each at the level asked
 * and, for a first-level category, at each of its sub-categories.
 *
 * <p>Sales rows carry the buyer's segment when the sale was made (age band, gender, personas, district, household
 * type), the audience the profile's today. The segment weighed is the one of the sales rows that holds every sale
 * of the audience asked: an age range becomes the age bands its members may have had in the year asked. Filters
 * the sales rows do not carry (interests, consent to offers, customer of, active within) are not weighed: the cell
 * weighed is the one of the other filters (stated in section 24).
 */
final class BoughtCategoryCells {

    private BoughtCategoryCells() {}

    /** Throws {@link ForbiddenFieldException} naming the field of the first cell the asker may not read. */
    static void check(SellerConfidentiality sellers, Asker asker, CityVocabulary city, AudienceFilter filter,
                      Optional<Breakdown> breakdown, int thisYear) {
        AudienceFilter.BoughtCategory bought = filter.boughtCategory();
        if (bought == null) return;
        List<String> categories = city.categories().leaves(bought.category());
        List<Integer> year = List.of(bought.year());
        SegmentFilter everyone = SegmentFilter.everyone();
        sellers.checkLevels(asker, "filter.boughtCategory", categories, true, year, everyone, null, null);
        SegmentFilter within = segment(filter, city, bought.year(), thisYear);
        if (!within.equals(everyone)) {
            sellers.checkLevels(asker, segmentField(filter, within), categories, true, year, within, null, null);
        }
        if (breakdown.isPresent()) {
            Breakdown b = breakdown.get();
            // "other" pools values outside the vocabulary: weighed one by one (errs on the seller's side); persona
            // rows are every persona of the city
            sellers.checkLevels(asker, "breakdown", categories, true, year, within, b.column(),
                    b == Breakdown.PERSONA ? city.personas() : null);
        }
    }

    /** The first filter field whose segment narrows the sales weighed, for the 403. */
    static String segmentField(AudienceFilter f, SegmentFilter within) {
        if (!within.ageBands().isEmpty()) return f.ageFrom() != null ? "filter.ageFrom" : "filter.ageTo";
        if (!within.genders().isEmpty()) return "filter.genders";
        if (!within.personas().isEmpty()) return "filter.personas";
        if (!within.districts().isEmpty()) return "filter.districts";
        return "filter.householdTypes";
    }

    /**
     * The segment of the sales rows that holds every sale to the audience's members in {@code year}: their genders,
     * personas, districts and household types as asked; an age range as the city's age bands that overlap the ages
     * its members had in that year (today's age minus the years since, one less before the birthday). Without the
     * bands' bounds (old configurations) the age range is not weighed.
     */
    static SegmentFilter segment(AudienceFilter f, CityVocabulary city, int year, int thisYear) {
        SortedSet<String> bands = new TreeSet<>();
        if (f.hasAgeRange() && !city.ageBandRanges().isEmpty()) {
            int back = Math.max(0, thisYear - year);
            int from = f.ageFromOrMin() - back - 1;
            int to = f.ageToOrMax() - back;
            List<String> overlapping = new ArrayList<>();
            for (CityVocabulary.AgeBandRange band : city.ageBandRanges()) {
                if (band.to() >= from && band.from() <= to) overlapping.add(band.band());
            }
            // every band: no narrowing (and no row without a band is left out)
            if (overlapping.size() < city.ageBandRanges().size()) bands.addAll(overlapping);
            if (overlapping.isEmpty()) bands.add("(none)"); // nobody of that age then: no sales to weigh
        }
        return new SegmentFilter(bands, f.genders(), f.personas(), f.districts(), f.householdTypes());
    }
}
