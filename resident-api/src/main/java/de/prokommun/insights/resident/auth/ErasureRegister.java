package de.prokommun.insights.resident.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * When residents were erased, remembered for as long as a token issued before the erasure can still be valid, so
 * that such a token is refused (401 "erased") for reads and changes alike (issue 14, item 7): a change racing the
 * erasure must not land on a later registration, and an empty profile must not be served to the old session.
 * <p>Bounded twice (docs/PRIVACY.md, "Erasure is final"): an entry is forgotten once the longest token lifetime
 * ({@code resident.jwt.max-lifetime}) has passed since the erasure — every token issued before it has expired by then —
 * and at most {@code resident.erasures.max} entries are kept (the oldest forgotten first, counted in
 * {@link #forgottenEarly()}). Keyed by city and the resident's generation-0 pseudonym, never by the reference.
 * Filled by this instance's erasure requests. Thread-safe.
 */
public final class ErasureRegister {

    private final Duration maxTokenLifetime;
    private final int maxEntries;
    private final Clock clock;
    private final LinkedHashMap<String, Instant> erasedAt = new LinkedHashMap<>();
    private long forgottenEarly;

    public ErasureRegister(Duration maxTokenLifetime, int maxEntries, Clock clock) {
        if (maxTokenLifetime.isNegative() || maxTokenLifetime.isZero()) {
            throw new IllegalArgumentException("the longest token lifetime must be positive");
        }
        if (maxEntries < 1) throw new IllegalArgumentException("at least one erasure must be remembered");
        this.maxTokenLifetime = maxTokenLifetime;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    public Duration maxTokenLifetime() { return maxTokenLifetime; }

    /** Remembers the erasure of the resident (a later one replaces an earlier one). */
    public synchronized void erased(String city, String residentPseudonym, Instant at) {
        forgetExpired();
        String key = key(city, residentPseudonym);
        erasedAt.remove(key);
        erasedAt.put(key, at);
        while (erasedAt.size() > maxEntries) {
            Iterator<Map.Entry<String, Instant>> oldest = erasedAt.entrySet().iterator();
            oldest.next();
            oldest.remove();
            forgottenEarly++;
        }
    }

    /** The resident's last erasure, if it happened within the longest token lifetime. */
    public synchronized Optional<Instant> erasedAt(String city, String residentPseudonym) {
        forgetExpired();
        return Optional.ofNullable(erasedAt.get(key(city, residentPseudonym)));
    }

    public synchronized int size() {
        forgetExpired();
        return erasedAt.size();
    }

    /** Erasures forgotten before their time because more than {@code resident.erasures.max} were remembered. */
    public synchronized long forgottenEarly() { return forgottenEarly; }

    private void forgetExpired() {
        Instant horizon = clock.instant().minus(maxTokenLifetime);
        // insertion order is erasure order (a repeated erasure is moved to the end), so the expired ones come first
        for (Iterator<Instant> it = erasedAt.values().iterator(); it.hasNext(); ) {
            if (it.next().isBefore(horizon)) it.remove();
            else break;
        }
    }

    private static String key(String city, String residentPseudonym) {
        return city + '\u001f' + residentPseudonym;
    }
}
