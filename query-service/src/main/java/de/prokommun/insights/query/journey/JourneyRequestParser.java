package de.prokommun.insights.query.journey;

import static de.prokommun.insights.query.audience.AudienceRequestParser.printable;
import static de.prokommun.insights.query.audience.AudienceRequestParser.unknownFields;
import static de.prokommun.insights.query.insights.InsightsRequestParser.failOn;
import static de.prokommun.insights.query.insights.InsightsRequestParser.object;
import static de.prokommun.insights.query.insights.InsightsRequestParser.present;

import com.fasterxml.jackson.databind.JsonNode;
import de.prokommun.insights.http.Problem;
import de.prokommun.insights.query.audience.AudienceRequestParser;
import de.prokommun.insights.query.audience.CityVocabulary;
import de.prokommun.insights.query.insights.Granularity;
import de.prokommun.insights.query.insights.InsightsRequestParser;
import de.prokommun.insights.query.insights.SegmentFilter;
import de.prokommun.insights.query.journey.JourneyRequests.Level;
import de.prokommun.insights.query.journey.JourneyRequests.Period;
import de.prokommun.insights.query.journey.JourneyRequests.Within;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the JSON bodies of the journey questions into validated requests (who may ask what is
 * {@link JourneyScope}'s business). Every bad field is reported with its reason; unknown fields are errors.
 */
public final class JourneyRequestParser {

    public static final int MIN_NODES = 2;
    public static final int MAX_NODES = 8;
    /** Main categories of visits that are not in the taxonomy (flink-jobs: receipts without mapping, check-ins). */
    public static final List<String> EXTRA_CATEGORIES = List.of("unmapped", "veranstaltung");

    private final CityVocabulary city;
    private final ParticipantCatalogue.CityParticipants known;
    private final InsightsRequestParser segments;

    public JourneyRequestParser(CityVocabulary city, ParticipantCatalogue.CityParticipants known, int maxValuesPerDimension) {
        this.city = city;
        this.known = known;
        this.segments = new InsightsRequestParser(city, maxValuesPerDimension);
    }

    public JourneyRequests.CrossShopping crossShopping(String body) {
        JsonNode root = object(body);
        List<Problem> problems = new ArrayList<>();
        unknownFields(root, Set.of("period", "participants", "segment"), "", problems);
        Period period = period(root.path("period"), problems);
        List<String> participants = participants(root.path("participants"), "participants", problems);
        SegmentFilter segment = segment(root.path("segment"), problems);
        failOn(problems);
        return new JourneyRequests.CrossShopping(period, participants, segment, null);
    }

    public JourneyRequests.Flows flows(String body) {
        JsonNode root = object(body);
        List<Problem> problems = new ArrayList<>();
        unknownFields(root, Set.of("period", "level", "nodes", "within", "segment"), "", problems);
        Period period = period(root.path("period"), problems);
        Level level = choice(root.path("level"), "level", Level.values(), Level::apiName, Level.PARTICIPANT, problems);
        Within within = choice(root.path("within"), "within", Within.values(), Within::apiName, Within.WEEK, problems);
        List<String> nodes = level == Level.CATEGORY ? categories(root.path("nodes"), problems)
                : participants(root.path("nodes"), "nodes", problems);
        SegmentFilter segment = segment(root.path("segment"), problems);
        failOn(problems);
        return new JourneyRequests.Flows(period, level, nodes, within, segment, null);
    }

    public JourneyRequests.FirstVisits firstVisits(String body) {
        JsonNode root = object(body);
        List<Problem> problems = new ArrayList<>();
        unknownFields(root, Set.of("period", "segment"), "", problems);
        Period period = period(root.path("period"), problems);
        SegmentFilter segment = segment(root.path("segment"), problems);
        failOn(problems);
        return new JourneyRequests.FirstVisits(period, segment, null);
    }

    public JourneyRequests.WhenWhere whenWhere(String body) {
        JsonNode root = object(body);
        List<Problem> problems = new ArrayList<>();
        unknownFields(root, Set.of("period", "segment", "participant"), "", problems);
        Period period = period(root.path("period"), problems);
        SegmentFilter segment = segment(root.path("segment"), problems);
        String participant = present(root.path("participant")) ? participant(root.path("participant"), "participant", problems) : null;
        failOn(problems);
        return new JourneyRequests.WhenWhere(period, segment, participant);
    }

    public JourneyRequests.Vouchers vouchers(String body) {
        JsonNode root = object(body);
        List<Problem> problems = new ArrayList<>();
        unknownFields(root, Set.of("period"), "", problems);
        Period period = period(root.path("period"), problems);
        failOn(problems);
        return new JourneyRequests.Vouchers(period, null);
    }

    /** The participant may be left out here; {@link JourneyScope} requires it of the operator. */
    public JourneyRequests.Engagement engagement(String body) {
        JsonNode root = object(body);
        List<Problem> problems = new ArrayList<>();
        unknownFields(root, Set.of("period", "participant"), "", problems);
        Period period = period(root.path("period"), problems);
        if (period != null && period.granularity() != Granularity.MONTH) {
            problems.add(new Problem("period.year", "engagement is counted per month: give period.month (yyyyMM)"));
        }
        String participant = present(root.path("participant")) ? participant(root.path("participant"), "participant", problems) : null;
        failOn(problems);
        return new JourneyRequests.Engagement(period, participant);
    }

    // ---- fields -------------------------------------------------------------------------------------------

    /** {"month": 202503} (or "2025-03") or {"year": 2025}: exactly one. */
    private static Period period(JsonNode v, List<Problem> problems) {
        if (!present(v)) {
            problems.add(new Problem("period", "is required: {\"month\": yyyyMM} or {\"year\": yyyy}"));
            return null;
        }
        if (!v.isObject()) {
            problems.add(new Problem("period", "must be an object: {\"month\": yyyyMM} or {\"year\": yyyy}"));
            return null;
        }
        unknownFields(v, Set.of("month", "year"), "period.", problems);
        boolean month = present(v.path("month"));
        if (month == present(v.path("year"))) {
            problems.add(new Problem("period", "give exactly one of period.month (yyyyMM) or period.year (yyyy)"));
            return null;
        }
        Granularity g = month ? Granularity.MONTH : Granularity.YEAR;
        JsonNode value = month ? v.path("month") : v.path("year");
        if (month && value.isIntegralNumber()) {
            int m = value.asInt() % 100;
            value = value.canConvertToInt() && value.asInt() >= 100_000 && value.asInt() <= 999_999
                    ? com.fasterxml.jackson.databind.node.TextNode.valueOf(String.format("%04d-%02d", value.asInt() / 100, m))
                    : com.fasterxml.jackson.databind.node.TextNode.valueOf("bad");
        }
        Integer p = InsightsRequestParser.period(value, month ? "period.month" : "period.year", g, problems);
        return p == null ? null : new Period(g, p);
    }

    private List<String> participants(JsonNode v, String field, List<Problem> problems) {
        List<String> out = new ArrayList<>();
        if (!present(v)) {
            problems.add(new Problem(field, "is required: " + MIN_NODES + " to " + MAX_NODES + " participant ids"));
            return out;
        }
        if (!v.isArray() || v.size() > MAX_NODES) {
            problems.add(new Problem(field, "must be an array of at most " + MAX_NODES + " participant ids"));
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            String id = participant(v.get(i), field + "[" + i + "]", problems);
            if (id != null && out.contains(id)) problems.add(new Problem(field + "[" + i + "]", "'" + id + "' is listed twice"));
            else if (id != null) out.add(id);
        }
        return out;
    }

    private String participant(JsonNode v, String field, List<Problem> problems) {
        if (!v.isTextual() || !AudienceRequestParser.PARTICIPANT_ID.matcher(v.asText()).matches()) {
            problems.add(new Problem(field, "must be a participant id (letters, digits, _.-)"));
            return null;
        }
        if (!known.isParticipant(v.asText())) {
            problems.add(new Problem(field, "'" + printable(v.asText()) + "' is not a participant of " + city.city()));
            return null;
        }
        return v.asText();
    }

    private List<String> categories(JsonNode v, List<Problem> problems) {
        List<String> out = new ArrayList<>();
        if (!present(v) || !v.isArray() || v.size() > MAX_NODES) {
            problems.add(new Problem("nodes", "must be an array of " + MIN_NODES + " to " + MAX_NODES + " category ids"));
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            String field = "nodes[" + i + "]";
            JsonNode item = v.get(i);
            Optional<String> id = !item.isTextual() ? Optional.empty()
                    : EXTRA_CATEGORIES.contains(item.asText()) ? Optional.of(item.asText())
                    : city.categories().category(item.asText());
            if (id.isEmpty()) {
                problems.add(new Problem(field, "must be a category id of " + city.city() + "'s taxonomy or one of "
                        + EXTRA_CATEGORIES));
            } else if (out.contains(id.get())) {
                problems.add(new Problem(field, "'" + id.get() + "' is listed twice"));
            } else {
                out.add(id.get());
            }
        }
        if (out.size() == v.size() && out.size() < MIN_NODES) {
            problems.add(new Problem("nodes", "needs at least " + MIN_NODES + " categories"));
        }
        return out;
    }

    private SegmentFilter segment(JsonNode s, List<Problem> problems) {
        if (!present(s)) return SegmentFilter.everyone();
        if (!s.isObject()) {
            problems.add(new Problem("segment", "must be an object"));
            return SegmentFilter.everyone();
        }
        return segments.segment(s, problems);
    }

    private static <E> E choice(JsonNode v, String field, E[] values, java.util.function.Function<E, String> name, E fallback,
                                List<Problem> problems) {
        if (!present(v)) return fallback;
        for (E e : values) {
            if (v.isTextual() && name.apply(e).equals(v.asText())) return e;
        }
        problems.add(new Problem(field, "must be one of " + Arrays.stream(values).map(name).toList()));
        return fallback;
    }
}
