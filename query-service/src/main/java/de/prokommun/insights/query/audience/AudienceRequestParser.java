package de.prokommun.insights.query.audience;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.http.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Turns the JSON body of an audience question into a validated {@link AudienceRequest}. Every bad field is
 * reported (name and reason); nothing unknown is ignored, so a typo never silently widens an audience.
 */
public final class AudienceRequestParser {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> TOP_FIELDS = Set.of("filter", "breakdown");
    static final Set<String> FILTER_FIELDS = Set.of("ageFrom", "ageTo", "genders", "personas", "interests",
            "districts", "householdTypes", "consentOffers", "boughtCategory", "customerOf", "activeWithinDays");
    private static final Set<String> BOUGHT_FIELDS = Set.of("category", "year");
    /** Participant ids as the participant directory spells them. */
    public static final java.util.regex.Pattern PARTICIPANT_ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    public static final int MIN_YEAR = 2000;
    public static final int MAX_YEAR = 2100;

    private final CityVocabulary city;
    private final int maxValuesPerDimension;
    /** How errors name a filter's fields: "filter." in an audience question, "audience." in a campaign. */
    private final String prefix;

    public AudienceRequestParser(CityVocabulary city, int maxValuesPerDimension) {
        this(city, maxValuesPerDimension, "filter.");
    }

    public AudienceRequestParser(CityVocabulary city, int maxValuesPerDimension, String prefix) {
        this.city = city;
        this.maxValuesPerDimension = maxValuesPerDimension;
        this.prefix = prefix;
    }

    /** One filter object (a campaign's audience), its errors named with this parser's prefix. */
    public AudienceFilter filter(JsonNode f, List<Problem> problems) {
        if (!f.isObject()) {
            problems.add(new Problem(prefix.substring(0, prefix.length() - 1), "must be an object"));
            return AudienceFilter.everyone();
        }
        return filterFields(f, problems);
    }

    public AudienceRequest parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("body", "malformed JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new InvalidRequestException("body", "must be a JSON object");
        List<Problem> problems = new ArrayList<>();
        unknownFields(root, TOP_FIELDS, "", problems);
        JsonNode filterNode = root.path("filter");
        AudienceFilter filter = AudienceFilter.everyone();
        if (!filterNode.isMissingNode() && !filterNode.isNull()) {
            if (!filterNode.isObject()) problems.add(new Problem("filter", "must be an object"));
            else filter = filterFields(filterNode, problems);
        }
        Optional<Breakdown> breakdown = breakdown(root.path("breakdown"), problems);
        if (!problems.isEmpty()) throw new InvalidRequestException(problems);
        return new AudienceRequest(filter, breakdown);
    }

    private AudienceFilter filterFields(JsonNode f, List<Problem> problems) {
        unknownFields(f, FILTER_FIELDS, prefix, problems);
        Integer from = age(f, "ageFrom", problems);
        Integer to = age(f, "ageTo", problems);
        if (from != null && to != null && from > to) {
            problems.add(new Problem(prefix + "ageFrom", "must not be greater than " + prefix + "ageTo (" + to + ")"));
        }
        return new AudienceFilter(from, to,
                values(f, "genders", city::gender, "not a gender; expected one of " + city.genders(), problems),
                values(f, "personas", city::persona,
                        "not a persona of " + city.city() + "; expected one of " + city.personas(), problems),
                values(f, "interests", city::interest,
                        "not an interest: 1-64 letters, digits, spaces or _.&/+-", problems),
                values(f, "districts", city::district,
                        "not a district of " + city.city() + "; expected one of " + city.districts(), problems),
                values(f, "householdTypes", city::householdType,
                        "not a household type; expected one of " + city.householdTypes(), problems),
                consentOffers(f, problems),
                boughtCategory(f.path("boughtCategory"), problems),
                customerOf(f.path("customerOf"), problems),
                activeWithinDays(f.path("activeWithinDays"), problems));
    }

    private AudienceFilter.BoughtCategory boughtCategory(JsonNode v, List<Problem> problems) {
        if (v.isMissingNode() || v.isNull()) return null;
        String field = prefix + "boughtCategory";
        if (!v.isObject()) {
            problems.add(new Problem(field, "must be an object {\"category\": <id>, \"year\": <yyyy>}"));
            return null;
        }
        unknownFields(v, BOUGHT_FIELDS, field + ".", problems);
        Optional<String> category = category(city, v.path("category"), field + ".category", problems);
        Integer year = year(v.path("year"), field + ".year", problems);
        return category.isPresent() && year != null ? new AudienceFilter.BoughtCategory(category.get(), year) : null;
    }

    /** A category id of the city's taxonomy (either level), in canonical spelling. */
    public static Optional<String> category(CityVocabulary city, JsonNode v, String field, List<Problem> problems) {
        if (v.isMissingNode() || v.isNull()) {
            problems.add(new Problem(field, "is required: a category id of the city's taxonomy"));
            return Optional.empty();
        }
        if (!v.isTextual()) {
            problems.add(new Problem(field, "must be a string"));
            return Optional.empty();
        }
        Optional<String> id = city.categories().category(v.asText());
        if (id.isEmpty()) {
            problems.add(new Problem(field, "'" + printable(v.asText()) + "' is not a category of " + city.city()
                    + "; see GET /api/v1/taxonomy of the ingestion API or cities/" + city.city() + "/taxonomy.json"));
        }
        return id;
    }

    /** A calendar year between {@link #MIN_YEAR} and {@link #MAX_YEAR}. */
    public static Integer year(JsonNode v, String field, List<Problem> problems) {
        if (v.isMissingNode() || v.isNull()) {
            problems.add(new Problem(field, "is required: a year (yyyy)"));
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < MIN_YEAR || v.intValue() > MAX_YEAR) {
            problems.add(new Problem(field, "must be a whole year between " + MIN_YEAR + " and " + MAX_YEAR));
            return null;
        }
        return v.intValue();
    }

    private String customerOf(JsonNode v, List<Problem> problems) {
        if (v.isMissingNode() || v.isNull()) return null;
        if (!v.isTextual() || !PARTICIPANT_ID.matcher(v.asText()).matches()) {
            problems.add(new Problem(prefix + "customerOf", "must be a participant id (letters, digits, _.-)"));
            return null;
        }
        return v.asText();
    }

    private Integer activeWithinDays(JsonNode v, List<Problem> problems) {
        if (v.isMissingNode() || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1
                || v.intValue() > AudienceFilter.MAX_ACTIVE_WITHIN_DAYS) {
            problems.add(new Problem(prefix + "activeWithinDays",
                    "must be a whole number of days between 1 and " + AudienceFilter.MAX_ACTIVE_WITHIN_DAYS));
            return null;
        }
        return v.intValue();
    }

    private Integer age(JsonNode f, String name, List<Problem> problems) {
        JsonNode v = f.path(name);
        if (v.isMissingNode() || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            problems.add(new Problem(prefix + name, "must be a whole number of years"));
            return null;
        }
        int age = v.intValue();
        if (age < AudienceFilter.MIN_AGE || age > AudienceFilter.MAX_AGE) {
            problems.add(new Problem(prefix + name,
                    "must be between " + AudienceFilter.MIN_AGE + " and " + AudienceFilter.MAX_AGE + " but is " + age));
            return null;
        }
        return age;
    }

    private SortedSet<String> values(JsonNode f, String name, Function<String, Optional<String>> canonical,
                                     String unknownReason, List<Problem> problems) {
        SortedSet<String> result = new TreeSet<>();
        JsonNode v = f.path(name);
        if (v.isMissingNode() || v.isNull()) return result;
        String field = prefix + name;
        if (!v.isArray()) {
            problems.add(new Problem(field, "must be an array of strings"));
            return result;
        }
        if (v.isEmpty()) {
            problems.add(new Problem(field, "must not be empty; leave it out to include everyone"));
        } else if (v.size() > maxValuesPerDimension) {
            problems.add(new Problem(field, "lists " + v.size() + " values; at most " + maxValuesPerDimension));
            return result;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String itemField = field + "[" + i + "]";
            if (!item.isTextual()) {
                problems.add(new Problem(itemField, "must be a string"));
                continue;
            }
            Optional<String> value = canonical.apply(item.asText());
            if (value.isPresent()) result.add(value.get());
            else problems.add(new Problem(itemField, "'" + printable(item.asText()) + "' is " + unknownReason));
        }
        return result;
    }

    private boolean consentOffers(JsonNode f, List<Problem> problems) {
        JsonNode v = f.path("consentOffers");
        if (v.isMissingNode() || v.isNull()) return false;
        if (!v.isBoolean()) {
            problems.add(new Problem(prefix + "consentOffers", "must be true or false"));
            return false;
        }
        return v.booleanValue();
    }

    private static Optional<Breakdown> breakdown(JsonNode v, List<Problem> problems) {
        if (v.isMissingNode() || v.isNull()) return Optional.empty();
        Optional<Breakdown> b = v.isTextual() ? Breakdown.byApiName(v.asText()) : Optional.empty();
        if (b.isEmpty()) {
            problems.add(new Problem("breakdown", "unknown dimension '" + printable(v.asText(v.toString()))
                    + "'; expected one of " + Breakdown.apiNames()));
        }
        return b;
    }

    public static void unknownFields(JsonNode node, Set<String> allowed, String prefix, List<Problem> problems) {
        node.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                problems.add(new Problem(prefix + printable(name),
                        "unknown field; expected one of " + new TreeSet<>(allowed)));
            }
        });
    }

    /** Echoes user input in an error message only shortened and without control characters. */
    public static String printable(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "…" : clean;
    }
}
