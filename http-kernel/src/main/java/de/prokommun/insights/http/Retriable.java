package de.prokommun.insights.http;

/**
 * Which failures a client may retry unchanged, in the way Debezium separates a RetriableException from the rest:
 * an answer is retriable when the same request can succeed later without change (429: a limit renews; 502, 503,
 * 504: a dependency such as Kafka or Pinot is unavailable for now). Everything else is the request's fault (4xx)
 * or a defect (500) and is not retried.
 */
public final class Retriable {
    private Retriable() {}

    public static boolean status(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    /** Whether a thrown failure is a transient condition ({@link RetriableFailure}), anywhere in its causes. */
    public static boolean failure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof RetriableFailure) return true;
        }
        return false;
    }
}
