package de.prokommun.insights.resident.changes;

import de.prokommun.insights.events.ConsentChanged;
import de.prokommun.insights.events.Gender;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.events.ProfileChanged;
import de.prokommun.insights.http.Problem;
import de.prokommun.insights.validation.StrictText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Validates a resident's own changes with the limits ingestion applies to the same events (docs/EVENTS.md):
 * birth date yyyy-MM-dd giving an age of 0–120, gender and household type from the contract's enums, a
 * 5-digit postcode, at most 50 interests of 1–64 non-blank characters. Interests and receipts follow the write
 * path's one text rule ({@link StrictText}) exactly as ingestion applies it, and are used in NFC: whatever
 * ingestion accepts, a resident can name here (and nothing ingestion would refuse). Every problem is reported,
 * naming the field.
 */
public final class ChangeRequestParser {
    private ChangeRequestParser() {}

    static final int MAX_INTERESTS = 50;
    static final int INTEREST_MAX_LENGTH = 64;
    static final int MAX_AGE_YEARS = 120;
    public static final int RECEIPT_MAX_LENGTH = 64;
    private static final Pattern POSTCODE = Pattern.compile("[0-9]{5}");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Set<String> PROFILE_FIELDS = Set.of("birthDate", "gender", "postcode", "householdType", "interests");
    private static final Set<String> CONSENT_FIELDS = Set.of("analytics", "offers", "newsletter");

    /** PATCH /api/v1/me/profile: any non-empty subset of the profile fields. */
    public static ProfileChanged profileChange(JsonObject body, LocalDate today) {
        List<Problem> problems = new ArrayList<>();
        unknownFields(body, PROFILE_FIELDS, problems);
        if (body.fieldNames().stream().noneMatch(PROFILE_FIELDS::contains)) {
            problems.add(new Problem("", "must set at least one of " + String.join(", ", sorted(PROFILE_FIELDS))));
        }
        ProfileChanged.Builder change = ProfileChanged.newBuilder();
        if (body.containsKey("birthDate")) change.setBirthDate(birthDate(body.getValue("birthDate"), today, problems));
        if (body.containsKey("gender")) change.setGender(enumValue("gender", body.getValue("gender"), Gender.class, problems));
        if (body.containsKey("postcode")) change.setPostcode(postcode(body.getValue("postcode"), problems));
        if (body.containsKey("householdType")) {
            change.setHouseholdType(enumValue("householdType", body.getValue("householdType"), HouseholdType.class, problems));
        }
        if (body.containsKey("interests")) change.setInterests(interests(body.getValue("interests"), problems));
        if (!problems.isEmpty()) throw new InvalidRequestException(problems);
        return change.build();
    }

    /** PUT /api/v1/me/consents: all three consents, each true or false. */
    public static ConsentChanged consents(JsonObject body) {
        List<Problem> problems = new ArrayList<>();
        unknownFields(body, CONSENT_FIELDS, problems);
        Boolean[] values = new Boolean[3];
        String[] names = {"analytics", "offers", "newsletter"};
        for (int i = 0; i < names.length; i++) {
            Object v = body.getValue(names[i]);
            if (v == null) problems.add(new Problem(names[i], "is required (true or false)"));
            else if (v instanceof Boolean b) values[i] = b;
            else problems.add(new Problem(names[i], "must be true or false but is " + jsonType(v)));
        }
        if (!problems.isEmpty()) throw new InvalidRequestException(problems);
        return ConsentChanged.newBuilder().setAnalytics(values[0]).setOffers(values[1]).setNewsletter(values[2]).build();
    }

    /**
     * The {receipt} of DELETE /api/v1/me/purchases/{receipt}: the rule ingestion applies to {@code data.receipt}
     * (1–64 characters after NFC, not blank, {@link StrictText.Kind#IDENTIFIER}).
     */
    public static String receipt(String raw) {
        if (raw == null || raw.isBlank()) throw new InvalidRequestException(List.of(new Problem("receipt", "is required")));
        StrictText.Checked checked = StrictText.check(raw, StrictText.Kind.IDENTIFIER);
        if (!checked.ok()) throw new InvalidRequestException(List.of(new Problem("receipt", checked.problem())));
        String receipt = checked.value();
        if (receipt.codePointCount(0, receipt.length()) > RECEIPT_MAX_LENGTH) {
            throw new InvalidRequestException(List.of(new Problem("receipt", "must have at most " + RECEIPT_MAX_LENGTH + " characters")));
        }
        return receipt;
    }

    private static String birthDate(Object value, LocalDate today, List<Problem> problems) {
        if (!(value instanceof String raw)) {
            problems.add(new Problem("birthDate", "must be a calendar date yyyy-MM-dd but is " + jsonType(value)));
            return null;
        }
        LocalDate date;
        try {
            if (!DATE.matcher(raw).matches()) throw new DateTimeParseException("pattern", raw, 0);
            date = LocalDate.parse(raw);
        } catch (DateTimeParseException e) {
            problems.add(new Problem("birthDate", "must be a calendar date yyyy-MM-dd but is '" + shortened(raw) + "'"));
            return null;
        }
        if (date.isAfter(today)) {
            problems.add(new Problem("birthDate", "must not be after today (" + today + ")"));
            return null;
        }
        int age = Period.between(date, today).getYears();
        if (age > MAX_AGE_YEARS) {
            problems.add(new Problem("birthDate", "gives an age of " + age + " years; at most " + MAX_AGE_YEARS + " is possible"));
            return null;
        }
        return raw;
    }

    private static String postcode(Object value, List<Problem> problems) {
        if (value instanceof String s && POSTCODE.matcher(s).matches()) return s;
        problems.add(new Problem("postcode", "must be 5 digits but is "
                + (value instanceof String s ? "'" + shortened(s) + "'" : jsonType(value))));
        return null;
    }

    private static <E extends Enum<E>> E enumValue(String field, Object value, Class<E> type, List<Problem> problems) {
        String allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        if (value instanceof String s) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(s)) return constant;
            }
            problems.add(new Problem(field, "must be one of " + allowed + " but is '" + shortened(s) + "'"));
        } else {
            problems.add(new Problem(field, "must be one of " + allowed + " but is " + jsonType(value)));
        }
        return null;
    }

    private static List<String> interests(Object value, List<Problem> problems) {
        if (!(value instanceof JsonArray array)) {
            problems.add(new Problem("interests", "must be an array of strings but is " + jsonType(value)));
            return null;
        }
        if (array.size() > MAX_INTERESTS) {
            problems.add(new Problem("interests", "must hold at most " + MAX_INTERESTS + " entries but holds " + array.size()));
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            Object item = array.getValue(i);
            if (!(item instanceof String s)) {
                problems.add(new Problem("interests[" + i + "]", "must be a string of 1 to " + INTEREST_MAX_LENGTH
                        + " non-blank characters but is " + jsonType(item)));
                continue;
            }
            StrictText.Checked checked = StrictText.check(s, StrictText.Kind.IDENTIFIER);
            if (!checked.ok()) {
                problems.add(new Problem("interests[" + i + "]", checked.problem()));
                continue;
            }
            String interest = checked.value();
            int length = interest.codePointCount(0, interest.length());
            if (length < 1 || length > INTEREST_MAX_LENGTH || interest.isBlank()) {
                problems.add(new Problem("interests[" + i + "]", "must be a string of 1 to " + INTEREST_MAX_LENGTH
                        + " non-blank characters"));
            } else {
                out.add(interest);
            }
        }
        return out;
    }

    private static void unknownFields(JsonObject body, Set<String> known, List<Problem> problems) {
        for (String name : body.fieldNames()) {
            if (!known.contains(name)) {
                problems.add(new Problem(shortened(name), "is not a known field; allowed: " + String.join(", ", sorted(known))));
            }
        }
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    private static String jsonType(Object v) {
        if (v == null) return "null";
        if (v instanceof String) return "a string";
        if (v instanceof Number) return "a number";
        if (v instanceof Boolean) return "a boolean";
        if (v instanceof JsonArray) return "an array";
        return "an object";
    }

    private static String shortened(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7e\\u00a0-\\u017f]", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }
}
