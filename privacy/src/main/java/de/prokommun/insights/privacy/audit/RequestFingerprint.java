package de.prokommun.insights.privacy.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The fingerprint of a refused request ({@link RefusalEntry#fingerprint()}): 16 hex digits of SHA-256 over method, path,
 * sorted query parameters and the body's JSON with sorted keys, so re-phrased whitespace or key order is still the same
 * question. One definition for the query service and ingestion, so the data protection officer's view compares alike.
 */
public final class RequestFingerprint {
    private static final ObjectMapper SORTED = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private RequestFingerprint() {}

    public static String of(String method, String path, Map<String, String> sortedQuery, byte[] body) {
        StringBuilder canonical = new StringBuilder(method).append(' ').append(path).append('?');
        sortedQuery.forEach((k, v) -> canonical.append(k).append('=').append(v).append('&'));
        canonical.append('\n').append(canonicalBody(body));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String canonicalBody(byte[] body) {
        if (body == null || body.length == 0) return "";
        try {
            return SORTED.writeValueAsString(SORTED.readValue(body, Object.class));
        } catch (java.io.IOException e) { // not JSON: the bytes as they came
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
