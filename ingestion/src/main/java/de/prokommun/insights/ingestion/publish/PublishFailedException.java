package de.prokommun.insights.ingestion.publish;

/** Kafka did not acknowledge every event of a request in time; the client should retry later. */
public final class PublishFailedException extends RuntimeException {
    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
