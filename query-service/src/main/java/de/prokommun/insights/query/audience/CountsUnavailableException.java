package de.prokommun.insights.query.audience;

/** The count store could not answer completely (down, timed out, partial result): the request fails, nothing is guessed. */
public final class CountsUnavailableException extends RuntimeException {
    public CountsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
