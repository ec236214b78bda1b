package de.prokommun.insights.ingestion.events;

import de.prokommun.insights.validation.StrictText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Typed reads of one JSON object that record an error (with the field's full path) instead of throwing,
 * so one pass reports every bad field. A read that fails returns null; explicit JSON null counts as absent.
 * Every string passes {@link StrictText} (identifiers unless read with {@link #optionalFreeText}) and is
 * returned in NFC; lengths count code points of the normalised value.
 */
final class JsonFields {

    private final JsonObject object;
    private final String prefix;
    private final List<FieldError> errors;

    JsonFields(JsonObject object, String prefix, List<FieldError> errors) {
        this.object = object;
        this.prefix = prefix;
        this.errors = errors;
    }

    String path(String field) {
        if (field.isEmpty()) return prefix;
        return prefix.isEmpty() ? field : prefix + "." + field;
    }

    boolean has(String field) {
        return object.getValue(field) != null;
    }

    void invalid(String field, String reason) {
        errors.add(FieldError.invalid(path(field), reason));
    }

    /** Every field not in {@code allowed} is an error: typos must not silently drop data. */
    void rejectUnknown(Set<String> allowed) {
        for (String name : new TreeSet<>(object.fieldNames())) {
            if (!allowed.contains(name)) {
                errors.add(FieldError.invalid(path(name), "unknown field; allowed: " + String.join(", ", new TreeSet<>(allowed))));
            }
        }
    }

    String requiredString(String field, int minLength, int maxLength) {
        if (!has(field)) {
            invalid(field, "is required");
            return null;
        }
        return optionalString(field, minLength, maxLength);
    }

    String optionalString(String field, int minLength, int maxLength) {
        return optionalString(field, minLength, maxLength, StrictText.Kind.IDENTIFIER);
    }

    /** Free text (e.g. an erasure's reason): line breaks and tabs allowed, otherwise the same rule. */
    String optionalFreeText(String field, int minLength, int maxLength) {
        return optionalString(field, minLength, maxLength, StrictText.Kind.FREE_TEXT);
    }

    private String optionalString(String field, int minLength, int maxLength, StrictText.Kind kind) {
        Object value = object.getValue(field);
        if (value == null) return null;
        if (!(value instanceof String raw)) {
            invalid(field, "must be a string but is " + jsonType(value));
            return null;
        }
        StrictText.Checked checked = StrictText.check(raw, kind);
        if (!checked.ok()) {
            invalid(field, checked.problem());
            return null;
        }
        String s = checked.value();
        int length = s.codePointCount(0, s.length());
        if (length < minLength || length > maxLength) {
            String expected = minLength == maxLength ? "exactly " + minLength : minLength + "–" + maxLength;
            invalid(field, "must be " + expected + " characters long but has " + length);
            return null;
        }
        if (s.isBlank()) {
            invalid(field, "must not be blank");
            return null;
        }
        return s;
    }

    String requiredMatching(String field, Pattern pattern, String expectation, int minLength, int maxLength) {
        String s = requiredString(field, minLength, maxLength);
        if (s != null && !pattern.matcher(s).matches()) {
            invalid(field, "must be " + expectation);
            return null;
        }
        return s;
    }

    Long requiredLong(String field, long min, long max) {
        if (!has(field)) {
            invalid(field, "is required");
            return null;
        }
        return optionalLong(field, min, max);
    }

    Long optionalLong(String field, long min, long max) {
        return optionalLong(field, min, max, "");
    }

    /** An integer within a plausibility limit; {@code limit} explains the maximum (e.g. "1,000,000 € a line"). */
    Long requiredLong(String field, long min, long max, String limit) {
        if (!has(field)) {
            invalid(field, "is required");
            return null;
        }
        return optionalLong(field, min, max, limit);
    }

    private Long optionalLong(String field, long min, long max, String limit) {
        Object value = object.getValue(field);
        if (value == null) return null;
        // the plausibility limit is named only when it is what the value broke
        String why = limit.isEmpty() ? "" : " (limit: " + limit + ")";
        Long n = integral(value);
        if (n == null && value instanceof BigInteger) {
            invalid(field, "must be " + range(min, max) + " but is " + value + why);
            return null;
        }
        if (n == null) {
            invalid(field, "must be an integer but is " + jsonType(value) + describe(value));
            return null;
        }
        if (n < min || n > max) {
            invalid(field, "must be " + range(min, max) + " but is " + n + (n > max ? why : ""));
            return null;
        }
        return n;
    }

    Boolean optionalBoolean(String field) {
        Object value = object.getValue(field);
        if (value == null) return null;
        if (!(value instanceof Boolean b)) {
            invalid(field, "must be true or false but is " + jsonType(value));
            return null;
        }
        return b;
    }

    Boolean requiredBoolean(String field) {
        if (!has(field)) {
            invalid(field, "is required");
            return null;
        }
        return optionalBoolean(field);
    }

    <E extends Enum<E>> E requiredEnum(String field, Class<E> type) {
        if (!has(field)) {
            invalid(field, "is required");
            return null;
        }
        return optionalEnum(field, type);
    }

    <E extends Enum<E>> E optionalEnum(String field, Class<E> type) {
        Object value = object.getValue(field);
        if (value == null) return null;
        String allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        if (value instanceof String s) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(s)) return constant;
            }
            invalid(field, "must be one of " + allowed + " but is '" + s + "'");
        } else {
            invalid(field, "must be one of " + allowed + " but is " + jsonType(value));
        }
        return null;
    }

    JsonFields requiredObject(String field) {
        Object value = object.getValue(field);
        if (value == null) {
            invalid(field, "is required");
            return null;
        }
        if (!(value instanceof JsonObject o)) {
            invalid(field, "must be a JSON object but is " + jsonType(value));
            return null;
        }
        return new JsonFields(o, path(field), errors);
    }

    /** The array's elements read by {@code element} (given the element's path); null if anything failed. */
    <T> List<T> array(String field, boolean required, int minSize, int maxSize, Function<Element, T> element) {
        Object value = object.getValue(field);
        if (value == null) {
            if (required) invalid(field, "is required");
            return null;
        }
        if (!(value instanceof JsonArray array)) {
            invalid(field, "must be a JSON array but is " + jsonType(value));
            return null;
        }
        if (array.size() < minSize || array.size() > maxSize) {
            invalid(field, "must have " + minSize + "–" + maxSize + " entries but has " + array.size());
            return null;
        }
        int before = errors.size();
        List<T> result = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            result.add(element.apply(new Element(array.getValue(i), path(field) + "[" + i + "]", errors)));
        }
        return errors.size() == before ? result : null;
    }

    /** One element of an array, read as a string or as an object with its own fields. */
    static final class Element {
        private final Object value;
        private final String path;
        private final List<FieldError> errors;

        Element(Object value, String path, List<FieldError> errors) {
            this.value = value;
            this.path = path;
            this.errors = errors;
        }

        String asString(int minLength, int maxLength) {
            if (!(value instanceof String s)) {
                errors.add(FieldError.invalid(path, "must be a string but is " + jsonType(value)));
                return null;
            }
            StrictText.Checked checked = StrictText.check(s, StrictText.Kind.IDENTIFIER);
            if (!checked.ok()) {
                errors.add(FieldError.invalid(path, checked.problem()));
                return null;
            }
            String normal = checked.value();
            int length = normal.codePointCount(0, normal.length());
            if (length < minLength || length > maxLength || normal.isBlank()) {
                errors.add(FieldError.invalid(path, "must be " + minLength + "–" + maxLength + " non-blank characters long"));
                return null;
            }
            return normal;
        }

        JsonFields asObject() {
            if (!(value instanceof JsonObject o)) {
                errors.add(FieldError.invalid(path, "must be a JSON object but is " + jsonType(value)));
                return null;
            }
            return new JsonFields(o, path, errors);
        }
    }

    private static Long integral(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < 64) return big.longValue();
        if (value instanceof BigDecimal dec) {
            try {
                return dec.longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        return null;
    }

    private static String describe(Object value) {
        return value instanceof Number ? " (" + value + ")" : "";
    }

    private static String range(long min, long max) {
        return max >= Integer.MAX_VALUE ? ">= " + min : min + "–" + max;
    }

    static String jsonType(Object value) {
        if (value == null) return "null";
        if (value instanceof String) return "a string";
        if (value instanceof Boolean) return "a boolean";
        if (value instanceof Number) return "a number";
        if (value instanceof JsonObject) return "an object";
        if (value instanceof JsonArray) return "an array";
        return value.getClass().getSimpleName();
    }
}
