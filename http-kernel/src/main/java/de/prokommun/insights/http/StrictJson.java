package de.prokommun.insights.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.validation.StrictText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict JSON reading of a request body (every service): the bytes must be valid UTF-8 ({@link StrictText#decodeUtf8}: Jackson
 * alone would accept an overlong {@code C0 AF} as '/'), a duplicate key or trailing content is an error (a
 * silently overwritten field would drop data), and every error names its line and column.
 */
public final class StrictJson {

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Jackson's message for NaN, Infinity and the like ("Non-standard token 'NaN': enable ..."). */
    private static final Pattern NON_STANDARD_TOKEN = Pattern.compile("Non-standard token '([^']*)'");
    private static final Pattern FEATURE_HINT = Pattern.compile(
            "\\s*[:(]?\\s*(?:or )?(?:enable|disable) `?(?:JsonReadFeature|JsonParser\\.Feature)[^)]*\\)?(?: to allow)?");

    private StrictJson() {}

    /** A {@link JsonObject}, a {@link JsonArray} or a scalar. */
    public static Object parse(byte[] body) throws MalformedJson {
        String text;
        try {
            text = StrictText.decodeUtf8(body);
        } catch (StrictText.MalformedUtf8 e) {
            throw new MalformedJson(e.getMessage());
        }
        Object value;
        try {
            value = STRICT.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            Matcher nonNumber = NON_STANDARD_TOKEN.matcher(String.valueOf(e.getOriginalMessage()));
            if (nonNumber.find()) { // NaN, Infinity: say it in our words, not as a Jackson feature switch
                String field = fieldOf(e);
                throw new MalformedJson("malformed JSON" + where + ": " + (field.isEmpty() ? "" : field + ": ")
                        + "'" + nonNumber.group(1) + "' is not a number JSON allows; amounts and counts must be finite"
                        + " numbers (NaN and Infinity are refused)", field);
            }
            throw new MalformedJson("malformed JSON" + where + ": " + ourWords(e.getOriginalMessage()), "");
        } catch (IOException e) {
            throw new MalformedJson("malformed JSON: " + e.getMessage());
        }
        if (value instanceof Map<?, ?> map) return new JsonObject(cast(map));
        if (value instanceof List<?> list) return new JsonArray(list);
        return value;
    }

    /** Jackson's hint how to switch a feature on is meaningless to a sender; only the problem stays. */
    public static String ourWords(String jacksonMessage) {
        if (jacksonMessage == null) return "unreadable";
        return FEATURE_HINT.matcher(jacksonMessage).replaceAll("");
    }

    /** The JSON path of the value being read, e.g. {@code data.lines[0].amountCents}, or "" at the top. */
    private static String fieldOf(JsonProcessingException e) {
        if (!(e.getProcessor() instanceof JsonParser parser)) return "";
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            else if (c.getCurrentName() != null) parts.push("." + c.getCurrentName());
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    public static final class MalformedJson extends Exception {
        private final String field;

        MalformedJson(String message) {
            this(message, "");
        }

        MalformedJson(String message, String field) {
            super(message);
            this.field = field;
        }

        /** The JSON path of the offending value, or "" if the error is not about one value. */
        public String field() {
            return field;
        }
    }
}
