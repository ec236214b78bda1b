package de.prokommun.insights.bench.audience;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Distinct audience questions that a publication answers, built from the service's own dimensions answer
 * ({@code GET /api/v1/audiences/dimensions}: age band bounds, genders, districts, household types, personas,
 * published interests), so that the benchmark asks what the dashboards ask and never a filter the cube cannot sum.
 */
final class PublishedQuestions {

    private static final int[] ACTIVITY_WINDOWS = {7, 30, 90, 365};

    private PublishedQuestions() {}

    static List<String> generate(JsonObject dimensions, int count, long seed) {
        JsonArray bands = dimensions.getJsonArray("ageBandBounds");
        int maxAge = dimensions.getJsonObject("ageRange").getInteger("to");
        List<String> genders = strings(dimensions.getJsonArray("genders"));
        List<String> districts = strings(dimensions.getJsonArray("districts"));
        List<String> households = strings(dimensions.getJsonArray("householdTypes"));
        List<String> personas = strings(dimensions.getJsonArray("personas"));
        List<String> interests = strings(dimensions.getJsonArray("publishedInterests"));
        SplittableRandom rnd = new SplittableRandom(seed);
        Set<String> seen = new HashSet<>();
        List<String> questions = new ArrayList<>(count);
        int attempts = 0;
        while (questions.size() < count && attempts++ < count * 20) {
            JsonObject filter = new JsonObject();
            if (rnd.nextInt(3) > 0) {
                int first = rnd.nextInt(bands.size());
                int last = first + rnd.nextInt(Math.min(3, bands.size() - first));
                // The API's ages end at 120; the last band's bound may lie beyond (an end at 120 covers that band).
                filter.put("ageFrom", bands.getJsonObject(first).getInteger("from"))
                        .put("ageTo", Math.min(maxAge, bands.getJsonObject(last).getInteger("to")));
            }
            // One fewer than all: every value ticked is normalised to no restriction (and asked as such).
            if (genders.size() > 1 && rnd.nextInt(3) == 0) filter.put("genders", pick(rnd, genders, 1 + rnd.nextInt(genders.size() - 1)));
            if (rnd.nextInt(2) == 0) filter.put("districts", pick(rnd, districts, 1 + rnd.nextInt(Math.min(4, districts.size()))));
            if (rnd.nextInt(3) == 0) filter.put("householdTypes", pick(rnd, households, 1 + rnd.nextInt(2)));
            int slice = rnd.nextInt(4);
            if (slice == 0 && !personas.isEmpty()) filter.put("personas", pick(rnd, personas, 1));
            if (slice == 1 && !interests.isEmpty()) filter.put("interests", pick(rnd, interests, 1));
            if (rnd.nextInt(4) == 0) filter.put("activeWithinDays", ACTIVITY_WINDOWS[rnd.nextInt(ACTIVITY_WINDOWS.length)]);
            JsonObject question = new JsonObject().put("filter", filter);
            if (rnd.nextInt(5) == 0) question.put("breakdown", "district");
            String body = question.encode();
            if (seen.add(body)) questions.add(body);
        }
        return questions;
    }

    private static List<String> strings(JsonArray array) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) out.add(array.getString(i));
        return out;
    }

    private static JsonArray pick(SplittableRandom rnd, List<String> from, int n) {
        TreeSet<String> chosen = new TreeSet<>();
        while (chosen.size() < Math.min(n, from.size())) chosen.add(from.get(rnd.nextInt(from.size())));
        return new JsonArray(new ArrayList<>(chosen));
    }
}
