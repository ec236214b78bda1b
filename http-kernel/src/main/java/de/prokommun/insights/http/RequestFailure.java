package de.prokommun.insights.http;

/** A failure that is the caller's and carries its answer (e.g. a body that is not JSON): sent as it is. */
public class RequestFailure extends RuntimeException {

    private final transient ApiError error;

    public RequestFailure(ApiError error) {
        super(error.reason(), null, false, false); // the caller's mistake: no stack trace to fill
        this.error = error;
    }

    public ApiError error() {
        return error;
    }
}
