package de.prokommun.insights.ingestion.dedupe;

import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.InteractionEvent;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bounded memory of recently accepted event ids: (city, participant, eventId) → a hash of the event's body, so that
 * an event id re-used with a different body is answered 409 instead of being silently dropped downstream (where
 * the first body wins), while an identical re-send stays an idempotent 202.
 *
 * <p>Horizon: the most recent {@code capacity} distinct (city, participant, eventId) triples accepted by this process
 * (oldest forgotten first), shared by all verticle instances; it starts empty on restart. Beyond it, a re-used
 * id with a different body is accepted and counted once with the first body (Flink's dedupe). The body hash
 * covers everything the sender chose (type, times, references, payload after normalisation), not the
 * receiving time.
 *
 * <p>A request claims its ids before it is published ({@link #claim}); if Kafka does not take it, the claim
 * is withdrawn ({@link #release}) so that the retry is not mistaken for a conflict.
 */
public final class RecentEventIds {

    /** An event id of the request that conflicts with an earlier body: its index in the request. */
    public record Conflict(int index, String eventId, String reason) {}

    /** The outcome of {@link #claim}: the conflicts (nothing remembered) or the keys this claim added. */
    public record Claim(List<Conflict> conflicts, List<String> added) {
        public boolean ok() {
            return conflicts.isEmpty();
        }
    }

    private final int capacity;
    /** Insertion order: the oldest claim is evicted first. */
    private final LinkedHashMap<String, Long> bodies;

    public RecentEventIds(int capacity) {
        if (capacity < 0) throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        this.capacity = capacity;
        this.bodies = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > RecentEventIds.this.capacity;
            }
        };
    }

    /**
     * Checks the request's events against each other and the remembered ids; if none conflicts, remembers them
     * all (the claim lists those it added), else remembers nothing and lists every conflict.
     */
    public Claim claim(List<InteractionEvent> events) {
        List<String> keys = new ArrayList<>(events.size());
        List<Long> hashes = new ArrayList<>(events.size());
        for (InteractionEvent e : events) {
            keys.add(key(e));
            hashes.add(bodyHash(e));
        }
        List<Conflict> conflicts = new ArrayList<>();
        Map<String, Integer> firstInRequest = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            Integer first = firstInRequest.putIfAbsent(keys.get(i), i);
            if (first != null && !hashes.get(first).equals(hashes.get(i))) {
                conflicts.add(new Conflict(i, events.get(i).getEventId(), "event id '" + events.get(i).getEventId()
                        + "' is used by event " + first + " of this request with a different body"));
            }
        }
        if (!conflicts.isEmpty()) return new Claim(conflicts, List.of());
        List<String> added = new ArrayList<>();
        synchronized (bodies) {
            for (int i = 0; i < events.size(); i++) {
                Long earlier = bodies.get(keys.get(i));
                if (earlier != null && !earlier.equals(hashes.get(i))) {
                    conflicts.add(new Conflict(i, events.get(i).getEventId(), "event id '" + events.get(i).getEventId()
                            + "' was accepted earlier with a different body; an event id names one event (re-send"
                            + " the identical event, or use a new id for a new event)"));
                }
            }
            if (!conflicts.isEmpty()) return new Claim(conflicts, List.of());
            if (capacity == 0) return new Claim(List.of(), List.of());
            for (int i = 0; i < events.size(); i++) {
                if (bodies.putIfAbsent(keys.get(i), hashes.get(i)) == null) added.add(keys.get(i));
            }
        }
        return new Claim(List.of(), added);
    }

    /** Withdraws what a claim added, for a request Kafka did not take (ids remembered before it stay). */
    public void release(Claim claim) {
        synchronized (bodies) {
            for (String key : claim.added()) bodies.remove(key);
        }
    }

    public int size() {
        synchronized (bodies) {
            return bodies.size();
        }
    }

    /** City first: participant ids are unique within a city only (both cities of a deployment have a "portal"). */
    private static String key(InteractionEvent e) {
        return e.getCity() + '\u0000' + e.getParticipant() + '\u0000' + e.getEventId();
    }

    /**
     * 64 bits of SHA-256 over the Avro encoding of the event without its receiving time. The receiving time is set
     * aside for the encoding rather than the event copied: the copy (every line of a purchase) was a fifth of the hash's
     * time (Flight Recorder, 2026-12-07).
     */
    static long bodyHash(InteractionEvent e) {
        long received = e.getReceivedTime();
        byte[] encoded;
        e.setReceivedTime(0L);
        try {
            encoded = Topics.RAW_EVENTS.codec().encode(e);
        } finally {
            e.setReceivedTime(received);
        }
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(encoded)).getLong();
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required of every JVM", ex);
        }
    }
}
