package de.prokommun.insights.resident.changes;

import de.prokommun.insights.resident.auth.Resident;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The change requests this instance accepted, each with the condition that shows it has taken effect.
 * Kept in memory (per instance; a restart or another instance does not know them), bounded: the oldest
 * are forgotten first. A request is only ever visible to the resident who made it.
 */
public final class ChangeRequests {

    public enum Status { PENDING, DONE }

    public static final class Request {
        private final String id;
        private final String kind;
        /** Who asked, with the pseudonym generation current then: the expectation is checked against that one. */
        private final Resident requester;
        private final Instant requestedAt;
        private final Expectation expectation;
        private volatile Instant doneAt;

        Request(String id, String kind, Resident requester, Instant requestedAt, Expectation expectation) {
            this.id = id;
            this.kind = kind;
            this.requester = requester;
            this.requestedAt = requestedAt;
            this.expectation = expectation;
        }

        public String id() { return id; }
        public String kind() { return kind; }
        public Resident requester() { return requester; }
        public Instant requestedAt() { return requestedAt; }
        public Expectation expectation() { return expectation; }
        public Instant doneAt() { return doneAt; }
        public Status status() { return doneAt == null ? Status.PENDING : Status.DONE; }

        /** Once done, a request stays done (later changes are requests of their own). */
        public void markDone(Instant at) {
            if (doneAt == null) doneAt = at;
        }
    }

    private final int capacity;
    private final Map<String, Request> requests;

    public ChangeRequests(int capacity) {
        this.capacity = capacity;
        this.requests = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Request> eldest) {
                return size() > ChangeRequests.this.capacity;
            }
        };
    }

    public synchronized Request add(Resident resident, String kind, Instant at, Expectation expectation) {
        Request request = new Request(UUID.randomUUID().toString(), kind, resident, at, expectation);
        requests.put(request.id(), request);
        return request;
    }

    /**
     * The request, only if this resident made it (another resident's id is indistinguishable from an unknown one) —
     * in any pseudonym generation: the erasure request of a resident who has registered again is still theirs.
     */
    public synchronized Optional<Request> of(Resident resident, String id) {
        Request r = requests.get(id);
        return r != null && r.requester.city().equals(resident.city()) && r.requester.residentKey().equals(resident.residentKey())
                ? Optional.of(r) : Optional.empty();
    }
}
