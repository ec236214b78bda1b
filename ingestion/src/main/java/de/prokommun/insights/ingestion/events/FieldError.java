package de.prokommun.insights.ingestion.events;

/**
 * What is wrong with one field of an event. {@code path} is the JSON path inside the event
 * ({@code data.lines[2].amountCents}); {@code kind} tells a malformed value from one the sender may not submit.
 */
public record FieldError(String path, String reason, Kind kind) {

    public enum Kind {
        /** The value breaks the contract: HTTP 400. */
        INVALID,
        /** The sender may not submit this (other participant, other city, portal-only type): HTTP 403. */
        FORBIDDEN
    }

    public static FieldError invalid(String path, String reason) {
        return new FieldError(path, reason, Kind.INVALID);
    }

    public static FieldError forbidden(String path, String reason) {
        return new FieldError(path, reason, Kind.FORBIDDEN);
    }

    public boolean isForbidden() {
        return kind == Kind.FORBIDDEN;
    }
}
