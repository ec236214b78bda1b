package de.prokommun.insights.resident.changes;

/** Kafka did not acknowledge a change in time: nothing was accepted, the caller may retry (503). */
public final class PublishFailedException extends RuntimeException {
    public PublishFailedException(Throwable cause) {
        super("Kafka did not acknowledge the change: " + cause.getMessage(), cause);
    }
}
