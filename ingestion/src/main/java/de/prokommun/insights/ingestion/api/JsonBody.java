package de.prokommun.insights.ingestion.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.validation.StrictText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Strict JSON reading of a request body: the bytes must be valid UTF-8 ({@link StrictText#decodeUtf8}: Jackson
 * alone would accept an overlong {@code C0 AF} as '/'), a duplicate key or trailing content is an error (a
 * silently overwritten field would drop data), and every error names its line and column.
 */
final class JsonBody {

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBody() {}

    /** A {@link JsonObject}, a {@link JsonArray} or a scalar. */
    static Object parse(byte[] body) throws MalformedJson {
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
            throw new MalformedJson("malformed JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedJson("malformed JSON: " + e.getMessage());
        }
        if (value instanceof Map<?, ?> map) return new JsonObject(cast(map));
        if (value instanceof List<?> list) return new JsonArray(list);
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    static final class MalformedJson extends Exception {
        MalformedJson(String message) {
            super(message);
        }
    }
}
