package de.prokommun.insights.bench.accuracy;

import de.prokommun.insights.query.audience.AudienceFilter;
import de.prokommun.insights.query.audience.CityVocabulary;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A fixed, seeded workload of distinct audience questions as merchants build them in the audience builder: zero to
 * four restrictions out of an age range, genders, districts, household types and one persona or one published
 * interest, so that audiences range from the whole city to a district's single-parent women aged 35–49. Age ranges
 * follow the city's age bands (the builder's age choice), so every question is a sum of published cells; questions
 * the publication cannot answer (two personas, consent, purchases, an age range cutting a band) are ad hoc by design
 * and not part of this workload. The same seed always gives the same questions in the same order.
 */
public final class AudienceWorkload {

    private AudienceWorkload() {}

    public static List<AudienceFilter> generate(CityVocabulary city, int count, long seed) {
        if (city.ageBandRanges().isEmpty()) throw new IllegalArgumentException("the city has no age bands with bounds");
        SplittableRandom rnd = new SplittableRandom(seed);
        Set<AudienceFilter> questions = new LinkedHashSet<>();
        int attempts = 0;
        while (questions.size() < count) {
            if (++attempts > 100 * count) throw new IllegalStateException("cannot find " + count + " distinct questions");
            questions.add(next(city, rnd));
        }
        return List.copyOf(questions);
    }

    private static AudienceFilter next(CityVocabulary city, SplittableRandom rnd) {
        Integer ageFrom = null, ageTo = null;
        TreeSet<String> genders = new TreeSet<>(), personas = new TreeSet<>(), interests = new TreeSet<>();
        TreeSet<String> districts = new TreeSet<>(), households = new TreeSet<>();
        int restrictions = rnd.nextInt(5);
        for (int k = 0; k < restrictions; k++) {
            switch (rnd.nextInt(6)) {
                case 0 -> {
                    List<CityVocabulary.AgeBandRange> bands = city.ageBandRanges();
                    int first = rnd.nextInt(bands.size());
                    int last = Math.min(bands.size() - 1, first + rnd.nextInt(3));
                    ageFrom = bands.get(first).from();
                    ageTo = Math.min(AudienceFilter.MAX_AGE, bands.get(last).to());
                }
                case 1 -> pick(rnd, known(city.genders()), genders, 1);
                case 2 -> pick(rnd, city.districts(), districts, 1 + rnd.nextInt(3));
                case 3 -> pick(rnd, known(city.householdTypes()), households, 1 + rnd.nextInt(2));
                // At most one persona or one interest: a person may hold several, so two are not a sum of cells.
                case 4 -> { if (personas.isEmpty() && interests.isEmpty()) pick(rnd, city.personas(), personas, 1); }
                default -> { if (personas.isEmpty() && interests.isEmpty()) pick(rnd, city.publishedInterests(), interests, 1); }
            }
        }
        return new AudienceFilter(ageFrom, ageTo, genders, personas, interests, districts, households, false);
    }

    /** Merchants tick declared values; UNKNOWN is what the contract stores for "not declared". */
    private static List<String> known(List<String> values) {
        List<String> known = new ArrayList<>(values);
        known.remove("UNKNOWN");
        return known;
    }

    private static void pick(SplittableRandom rnd, List<String> from, Set<String> into, int n) {
        if (from.isEmpty()) return;
        for (int k = 0; k < n; k++) into.add(from.get(rnd.nextInt(from.size())));
    }
}
