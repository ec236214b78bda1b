package de.prokommun.insights.privacy.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One refused request of the query service (400, 401, 403, 413, 429 ...), for the data protection officer to see
 * probing: who asked (the account id for a known key, {@code key:<first 12 hex of its SHA-256>} for an unknown
 * one, {@code anonymous} without a key; never the key itself), the route, the HTTP status, the reason given to the
 * asker and a fingerprint of the question (the same question asked twice has the same fingerprint). Written to
 * the same audit log as released answers (outcome {@code REFUSED}); holds no figure and no pseudonym.
 *
 * @param city the asker's city, "" when the key is unknown
 * @param role PARTICIPANT, OPERATOR, PORTAL, or "" when the key is unknown
 */
public record RefusalEntry(Instant at, String city, String role, String askerId, String route, int status,
                           String reason, String fingerprint) {

    /** The outcome the log line carries (released answers carry RELEASED or REFUSED_BUDGET). */
    public static final String OUTCOME = "REFUSED";

    public RefusalEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(city, "city");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(askerId, "askerId");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }
}
