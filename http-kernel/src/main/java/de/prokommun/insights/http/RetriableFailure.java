package de.prokommun.insights.http;

/**
 * Marks an exception as a transient condition (a dependency is unavailable): the {@link FailureHandler} answers it
 * 503 with {@code Retry-After} and {@code retriable: true}, logs one warning line and no stack trace.
 */
public interface RetriableFailure {

    /** Seconds after which the request may be sent again. */
    default int retryAfterSeconds() { return 5; }

    /** What the caller is told (no internal detail). */
    String publicMessage();
}
