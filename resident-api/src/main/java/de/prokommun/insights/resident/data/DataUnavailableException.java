package de.prokommun.insights.resident.data;

/** Pinot could not give a complete answer: the request fails with 503, never with partial data. */
public final class DataUnavailableException extends RuntimeException {
    public DataUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
