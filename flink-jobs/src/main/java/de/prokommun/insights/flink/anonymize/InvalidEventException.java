package de.prokommun.insights.flink.anonymize;

/** An event that cannot be pseudonymised; the message names the field and the reason (a dead letter's reason). */
public final class InvalidEventException extends RuntimeException {
    public InvalidEventException(String field, String reason) {
        super(field + ": " + reason);
    }
}
