package de.prokommun.insights.bench.audience;

import de.prokommun.insights.contract.PinotTables;
import de.prokommun.insights.query.audience.AudienceFilter;
import de.prokommun.insights.query.audience.AudienceQuery;
import de.prokommun.insights.simulator.Musterstadt;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Distinct audience questions of the kind merchants and campaign tools ask: one to four dimensions of age
 * range, genders, personas, districts, household types, interests and offer consent. Each question exists as
 * the API request body and as the SQL the query service sends to Pinot for it (the same {@link AudienceQuery}).
 */
final class AudienceQuestions {

    record Question(String requestBody, String sql) {}

    private static final List<String> GENDERS = List.of("FEMALE", "MALE", "DIVERSE");
    private static final List<String> HOUSEHOLDS = List.of("SINGLE", "COUPLE", "FAMILY", "SINGLE_PARENT", "SHARED");
    private static final List<String> PERSONAS = List.of("teenager", "young_adult", "single", "couple", "family",
            "single_parent", "best_ager", "senior", "voucher_user", "club_member", "culture_fan", "regular_shopper");

    static List<Question> generate(Musterstadt city, int count, long seed) {
        List<String> districts = city.city().districts().stream().map(d -> d.name()).toList();
        List<String> interests = city.populationModel().interests().stream().map(i -> i.id()).toList();
        SplittableRandom rnd = new SplittableRandom(seed);
        Set<String> seen = new HashSet<>();
        List<Question> questions = new ArrayList<>(count);
        while (questions.size() < count) {
            Integer ageFrom = null, ageTo = null;
            TreeSet<String> g = new TreeSet<>(), p = new TreeSet<>(), i = new TreeSet<>(), d = new TreeSet<>(), h = new TreeSet<>();
            boolean offers = false;
            int dimensions = 1 + rnd.nextInt(4);
            for (int k = 0; k < dimensions; k++) {
                switch (rnd.nextInt(7)) {
                    case 0 -> { ageFrom = 14 + rnd.nextInt(60); ageTo = ageFrom + 5 + rnd.nextInt(30); }
                    case 1 -> pick(rnd, GENDERS, g, 1 + rnd.nextInt(2));
                    case 2 -> pick(rnd, PERSONAS, p, 1 + rnd.nextInt(3));
                    case 3 -> pick(rnd, districts, d, 1 + rnd.nextInt(4));
                    case 4 -> pick(rnd, HOUSEHOLDS, h, 1 + rnd.nextInt(2));
                    case 5 -> pick(rnd, interests, i, 1 + rnd.nextInt(2));
                    default -> offers = true;
                }
            }
            JsonObject filter = new JsonObject();
            if (ageFrom != null) filter.put("ageFrom", ageFrom).put("ageTo", ageTo);
            if (!g.isEmpty()) filter.put("genders", new JsonArray(new ArrayList<>(g)));
            if (!p.isEmpty()) filter.put("personas", new JsonArray(new ArrayList<>(p)));
            if (!d.isEmpty()) filter.put("districts", new JsonArray(new ArrayList<>(d)));
            if (!h.isEmpty()) filter.put("householdTypes", new JsonArray(new ArrayList<>(h)));
            if (!i.isEmpty()) filter.put("interests", new JsonArray(new ArrayList<>(i)));
            if (offers) filter.put("consentOffers", true);
            String body = new JsonObject().put("filter", filter).encode();
            if (!seen.add(body)) continue;
            String sql = new AudienceQuery(PinotTables.PROFILES.name(), Musterstadt.CITY,
                    new AudienceFilter(ageFrom, ageTo, g, p, i, d, h, offers), Optional.empty()).countSql();
            questions.add(new Question(body, sql));
        }
        return questions;
    }

    private static void pick(SplittableRandom rnd, List<String> from, Set<String> into, int n) {
        for (int k = 0; k < n; k++) into.add(from.get(rnd.nextInt(from.size())));
    }
}
