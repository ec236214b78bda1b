package de.prokommun.insights.query.insights;

import static de.prokommun.insights.query.audience.AudienceRequestParser.printable;
import static de.prokommun.insights.query.audience.AudienceRequestParser.unknownFields;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.http.Problem;
import de.prokommun.insights.query.audience.AudienceRequestParser;
import de.prokommun.insights.query.audience.Breakdown;
import de.prokommun.insights.query.audience.CityVocabulary;
import de.prokommun.insights.query.audience.InvalidRequestException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the JSON bodies of the insights questions into validated requests. Every bad field is reported with
 * its reason; unknown fields are errors, so a typo never silently changes a question.
 */
public final class InsightsRequestParser {

    public static final int MAX_MONTHS = 36;
    public static final int MAX_YEARS = 10;
    public static final int DEFAULT_ASSORTMENT_YEARS = 3;
    private static final Pattern MONTH = Pattern.compile("(\\d{4})-(\\d{2})");
    private static final Pattern YEAR = Pattern.compile("\\d{4}");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final CityVocabulary city;
    private final int maxValuesPerDimension;

    public InsightsRequestParser(CityVocabulary city, int maxValuesPerDimension) {
        this.city = city;
        this.maxValuesPerDimension = maxValuesPerDimension;
    }

    public InsightsRequests.Affinity affinity(String body) {
        JsonNode root = object(body);
        List<Problem> problems = new ArrayList<>();
        unknownFields(root, Set.of("category", "year", "month", "segmentBy", "personas"), "", problems);
        String category = leafCategory(root.path("category"), problems);
        boolean hasYear = present(root.path("year"));
        boolean hasMonth = present(root.path("month"));
        Granularity granularity = null;
        Integer period = null;
        if (hasYear == hasMonth) {
            problems.add(new Problem(hasYear ? "month" : "year",
                    "give exactly one period: either year (yyyy) or month (yyyy-MM)"));
        } else if (hasYear) {
            granularity = Granularity.YEAR;
            period = period(root.path("year"), "year", Granularity.YEAR, problems);
        } else {
            granularity = Granularity.MONTH;
            period = period(root.path("month"), "month", Granularity.MONTH, problems);
        }
        Breakdown segmentBy = segmentBy(root.path("segmentBy"), true, problems);
        SortedSet<String> personas = personaCells(root.path("personas"), segmentBy, problems);
        failOn(problems);
        return new InsightsRequests.Affinity(category, granularity, period, segmentBy, personas);
    }

    public InsightsRequests.History history(String body) {
        JsonNode root = object(body);
        List<Problem> problems = new ArrayList<>();
        unknownFields(root, Set.of("category", "granularity", "from", "to", "segmentBy", "personas"), "", problems);
        String category = leafCategory(root.path("category"), problems);
        Granularity granularity = granularity(root.path("granularity"), problems);
        int[] range = range(root, granularity, problems);
        Breakdown segmentBy = segmentBy(root.path("segmentBy"), false, problems);
        SortedSet<String> personas = personaCells(root.path("personas"), segmentBy, problems);
        failOn(problems);
        return new InsightsRequests.History(category, granularity, range[0], range[1], segmentBy, personas);
    }

    public InsightsRequests.Assortment assortment(String body) {
        JsonNode root = object(body);
        List<Problem> problems = new ArrayList<>();
        unknownFields(root, Set.of("category", "years", "customerOf", "personas"), "", problems);
        String category = leafCategory(root.path("category"), problems);
        int years = DEFAULT_ASSORTMENT_YEARS;
        JsonNode y = root.path("years");
        if (present(y)) {
            if (!y.isIntegralNumber() || !y.canConvertToInt() || y.intValue() < 1 || y.intValue() > MAX_YEARS) {
                problems.add(new Problem("years", "must be a whole number of years between 1 and " + MAX_YEARS));
            } else {
                years = y.intValue();
            }
        }
        String customerOf = null;
        JsonNode c = root.path("customerOf");
        if (present(c)) {
            if (!c.isTextual() || !AudienceRequestParser.PARTICIPANT_ID.matcher(c.asText()).matches()) {
                problems.add(new Problem("customerOf", "must be a participant id (letters, digits, _.-)"));
            } else {
                customerOf = c.asText();
            }
        }
        SortedSet<String> personas = values(root.path("personas"), "personas", city::persona,
                "not a persona of " + city.city() + "; expected one of " + city.personas(), problems);
        failOn(problems);
        return new InsightsRequests.Assortment(category, years, customerOf, personas);
    }

    /** {@code participant} (optional; null = the asker, checked by the service), {@code segmentBy} (default persona). */
    public InsightsRequests.Customers customers(String body) {
        JsonNode root = object(body);
        List<Problem> problems = new ArrayList<>();
        unknownFields(root, Set.of("participant", "segmentBy"), "", problems);
        String participant = null;
        JsonNode p = root.path("participant");
        if (present(p)) {
            if (!p.isTextual() || !AudienceRequestParser.PARTICIPANT_ID.matcher(p.asText()).matches()) {
                problems.add(new Problem("participant", "must be a participant id (letters, digits, _.-)"));
            } else {
                participant = p.asText();
            }
        }
        Breakdown segmentBy = present(root.path("segmentBy")) ? segmentBy(root.path("segmentBy"), true, problems)
                : Breakdown.PERSONA;
        failOn(problems);
        return new InsightsRequests.Customers(participant, segmentBy);
    }

    public InsightsRequests.Trend trend(String body) {
        JsonNode root = object(body);
        List<Problem> problems = new ArrayList<>();
        unknownFields(root, Set.of("category", "segment", "granularity", "from", "to"), "", problems);
        String category = leafCategory(root.path("category"), problems);
        SegmentFilter segment = SegmentFilter.everyone();
        JsonNode s = root.path("segment");
        if (present(s)) {
            if (!s.isObject()) problems.add(new Problem("segment", "must be an object"));
            else segment = segment(s, problems);
        }
        Granularity granularity = granularity(root.path("granularity"), problems);
        int[] range = range(root, granularity, problems);
        failOn(problems);
        return new InsightsRequests.Trend(category, segment, granularity, range[0], range[1]);
    }

    public SegmentFilter segment(JsonNode s, List<Problem> problems) {
        unknownFields(s, Set.of("ageBands", "genders", "personas", "districts", "householdTypes"), "segment.", problems);
        return new SegmentFilter(
                values(s.path("ageBands"), "segment.ageBands", v -> canonical(city.ageBands(), v),
                        "not an age band of " + city.city() + "; expected one of " + city.ageBands(), problems),
                values(s.path("genders"), "segment.genders", city::gender,
                        "not a gender; expected one of " + city.genders(), problems),
                values(s.path("personas"), "segment.personas", city::persona,
                        "not a persona of " + city.city() + "; expected one of " + city.personas(), problems),
                values(s.path("districts"), "segment.districts", city::district,
                        "not a district of " + city.city() + "; expected one of " + city.districts(), problems),
                values(s.path("householdTypes"), "segment.householdTypes", city::householdType,
                        "not a household type; expected one of " + city.householdTypes(), problems));
    }

    /** Distinct buyers are kept per second-level category, so only those can be asked about. */
    private String leafCategory(JsonNode v, List<Problem> problems) {
        Optional<String> id = AudienceRequestParser.category(city, v, "category", problems);
        if (id.isEmpty()) return null;
        if (!city.categories().isSecondLevel(id.get())) {
            problems.add(new Problem("category", "'" + id.get() + "' is a first-level category; buyers are"
                    + " counted per sub-category, ask for one of " + city.categories().leaves(id.get())));
            return null;
        }
        return id.get();
    }

    private static Granularity granularity(JsonNode v, List<Problem> problems) {
        if (!present(v)) {
            problems.add(new Problem("granularity", "is required: one of " + Granularity.apiNames()
                    + " (distinct buyers per quarter are not kept)"));
            return null;
        }
        Optional<Granularity> g = v.isTextual() ? Granularity.byApiName(v.asText()) : Optional.empty();
        if (g.isEmpty()) {
            problems.add(new Problem("granularity", "unknown granularity '" + printable(v.asText(v.toString()))
                    + "'; expected one of " + Granularity.apiNames() + " (distinct buyers per quarter are not kept)"));
        }
        return g.orElse(null);
    }

    /** from/to of a history or trend: inclusive, in order, at most {@link #MAX_MONTHS} months or {@link #MAX_YEARS} years. */
    private static int[] range(JsonNode root, Granularity granularity, List<Problem> problems) {
        if (granularity == null) return new int[] {0, 0};
        Integer from = period(root.path("from"), "from", granularity, problems);
        Integer to = period(root.path("to"), "to", granularity, problems);
        if (from == null || to == null) return new int[] {0, 0};
        if (from > to) {
            problems.add(new Problem("from", "must not be after to (" + granularity.label(to) + ")"));
            return new int[] {0, 0};
        }
        int count = granularity.periods(from, to).size();
        int max = granularity == Granularity.YEAR ? MAX_YEARS : MAX_MONTHS;
        if (count > max) {
            problems.add(new Problem("to", "spans " + count + " " + granularity.apiName() + "s; at most " + max
                    + " per question"));
        }
        return new int[] {from, to};
    }

    /** A year as 2025 or "2025", a month as "2025-03"; returned as the column value (yyyy or yyyyMM). */
    public static Integer period(JsonNode v, String field, Granularity granularity, List<Problem> problems) {
        String expected = granularity == Granularity.YEAR ? "a year (yyyy)" : "a month (yyyy-MM)";
        if (!present(v)) {
            problems.add(new Problem(field, "is required: " + expected));
            return null;
        }
        String text = v.isIntegralNumber() && granularity == Granularity.YEAR ? v.asText() : v.isTextual() ? v.asText() : "";
        int year;
        int value;
        if (granularity == Granularity.YEAR && YEAR.matcher(text).matches()) {
            year = Integer.parseInt(text);
            value = year;
        } else {
            Matcher m = MONTH.matcher(text);
            if (granularity != Granularity.MONTH || !m.matches()) {
                problems.add(new Problem(field, "must be " + expected));
                return null;
            }
            year = Integer.parseInt(m.group(1));
            int month = Integer.parseInt(m.group(2));
            if (month < 1 || month > 12) {
                problems.add(new Problem(field, "month must be 01 to 12"));
                return null;
            }
            value = YearMonth.of(year, month).getYear() * 100 + month;
        }
        if (year < AudienceRequestParser.MIN_YEAR || year > AudienceRequestParser.MAX_YEAR) {
            problems.add(new Problem(field, "year must be between " + AudienceRequestParser.MIN_YEAR + " and "
                    + AudienceRequestParser.MAX_YEAR));
            return null;
        }
        return value;
    }

    private static Breakdown segmentBy(JsonNode v, boolean required, List<Problem> problems) {
        if (!present(v)) {
            if (required) problems.add(new Problem("segmentBy", "is required: one of " + Breakdown.apiNames()));
            return null;
        }
        Optional<Breakdown> b = v.isTextual() ? Breakdown.byApiName(v.asText()) : Optional.empty();
        if (b.isEmpty()) {
            problems.add(new Problem("segmentBy", "unknown dimension '" + printable(v.asText(v.toString()))
                    + "'; expected one of " + Breakdown.apiNames()));
        }
        return b.orElse(null);
    }

    private SortedSet<String> personaCells(JsonNode v, Breakdown segmentBy, List<Problem> problems) {
        if (present(v) && segmentBy != Breakdown.PERSONA) {
            problems.add(new Problem("personas", "narrows a persona segmentation; only with segmentBy persona"));
            return new TreeSet<>();
        }
        return values(v, "personas", city::persona,
                "not a persona of " + city.city() + "; expected one of " + city.personas(), problems);
    }

    private SortedSet<String> values(JsonNode v, String field, Function<String, Optional<String>> canonical,
                                     String unknownReason, List<Problem> problems) {
        SortedSet<String> result = new TreeSet<>();
        if (!present(v)) return result;
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
            Optional<String> value = item.isTextual() ? canonical.apply(item.asText()) : Optional.empty();
            if (value.isPresent()) result.add(value.get());
            else problems.add(new Problem(itemField, item.isTextual()
                    ? "'" + printable(item.asText()) + "' is " + unknownReason : "must be a string"));
        }
        return result;
    }

    private static Optional<String> canonical(List<String> allowed, String value) {
        String v = value.strip();
        return allowed.stream().filter(a -> a.equalsIgnoreCase(v)).findFirst();
    }

    public static JsonNode object(String body) {
        if (body == null || body.isBlank()) throw new InvalidRequestException("body", "missing; expected a JSON object");
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("body", "malformed JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new InvalidRequestException("body", "must be a JSON object");
        return root;
    }

    public static boolean present(JsonNode v) {
        return !v.isMissingNode() && !v.isNull();
    }

    public static void failOn(List<Problem> problems) {
        if (!problems.isEmpty()) throw new InvalidRequestException(problems);
    }
}
