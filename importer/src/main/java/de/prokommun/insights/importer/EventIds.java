package de.prokommun.insights.importer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Event ids of imported events, derived from what identifies the fact in the source (participant and receipt,
 * or household for portal events) and nothing else: importing the same file again yields the same ids, which
 * the stream jobs de-duplicate per participant. The hash keeps the receipt number itself out of the id.
 */
public final class EventIds {
    private EventIds() {}

    public static String purchase(String participant, String receipt) {
        return "import-" + hash(participant, receipt);
    }

    /** For other imported facts: {@code import-<kind>-<hash(parts)>}. */
    public static String of(String kind, String... parts) {
        return "import-" + kind + "-" + hash(parts);
    }

    static String hash(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                sha.update(p.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
