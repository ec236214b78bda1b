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
 * <p>Shared and durable (issue 14): filled by this instance's erasure requests at once and by {@link ErasureFeed}, which
 * reads every instance's erasures from the topic {@code resident-erasures} — in full at start, then following it. The
 * feed reports how far it has read ({@link #caughtUp}); a request waits in {@link #awaitCurrent} until the register holds
 * every erasure written before the request arrived, so neither a restarted nor a second instance serves an old token.
 * Thread-safe.
 */
public final class ErasureRegister {

    private final Duration maxTokenLifetime;
    private final int maxEntries;
    private final Clock clock;
    private final LinkedHashMap<String, Instant> erasedAt = new LinkedHashMap<>();
    private long forgottenEarly;
    /** The feed has read every erasure written before this instant; null until it has read the topic once. */
    private Instant currentAsOf;
    /** A request waits for the feed's next round: the feed starts it at once instead of after its pause. */
    private boolean demanded;

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
        // read back from the topic at start: an erasure older than every token's lifetime needs no memory
        if (at.isBefore(horizon())) return;
        Instant known = erasedAt.get(key(city, residentPseudonym));
        if (known != null && known.isAfter(at)) return; // the feed may deliver an instance's own erasure after a later one
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
        // insertion order follows the topic's partitions, not strictly time: check the entry's own age as well
        return Optional.ofNullable(erasedAt.get(key(city, residentPseudonym))).filter(at -> !at.isBefore(horizon()));
    }

    /** Called by the feed: every erasure written to the topic before {@code asOf} is now in this register. */
    public synchronized void caughtUp(Instant asOf) {
        if (currentAsOf == null || asOf.isAfter(currentAsOf)) currentAsOf = asOf;
        notifyAll();
    }

    /** How far the register is known to be complete; empty until the feed has read the topic once. */
    public synchronized Optional<Instant> currentAsOf() {
        return Optional.ofNullable(currentAsOf);
    }

    /**
     * Blocks until the register holds every erasure written before {@code since} (true), or until {@code timeout} has
     * passed (false: the caller answers 503, never a possibly erased resident's data).
     */
    public synchronized boolean awaitCurrent(Instant since, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (currentAsOf == null || currentAsOf.isBefore(since)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            demanded = true;
            notifyAll();
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /**
     * Called by the feed between two rounds: returns at once when a request is waiting for a round that began after
     * it arrived, otherwise after {@code pause} (the feed keeps following the topic while nobody asks).
     */
    public synchronized void awaitDemand(Duration pause) throws InterruptedException {
        if (!demanded) wait(Math.max(1, pause.toMillis()));
        demanded = false;
    }

    public synchronized int size() {
        forgetExpired();
        return erasedAt.size();
    }

    /** Erasures forgotten before their time because more than {@code resident.erasures.max} were remembered. */
    public synchronized long forgottenEarly() { return forgottenEarly; }

    private Instant horizon() {
        return clock.instant().minus(maxTokenLifetime);
    }

    private void forgetExpired() {
        Instant horizon = horizon();
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
