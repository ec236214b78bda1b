package de.prokommun.insights.ingestion;

/** Why a request was turned away: the error code in the JSON body, its HTTP status and the metric label. */
public enum RejectionReason {
    MALFORMED_JSON("malformed_json", 400),
    /** A path with a percent-escape that cannot be decoded ("%zz"). */
    MALFORMED_PATH("malformed_path", 400),
    INVALID_EVENTS("invalid_events", 400),
    INVALID_MAPPINGS("invalid_mappings", 400),
    UNAUTHORIZED("unauthorized", 401),
    FORBIDDEN("forbidden", 403),
    NOT_FOUND("not_found", 404),
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    PAYLOAD_TOO_LARGE("payload_too_large", 413),
    BATCH_TOO_LARGE("batch_too_large", 413),
    /** An event id re-used with a different body (within the batch or the remembered recent ids). */
    EVENT_ID_CONFLICT("event_id_conflict", 409),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
    /** A purchase older than the city keeps purchases (city.json "retention"): it would never be counted. */
    OUTSIDE_RETENTION("outside_retention", 422),
    KAFKA_UNAVAILABLE("kafka_unavailable", 503),
    INTERNAL_ERROR("internal_error", 500);

    private final String code;
    private final int status;

    RejectionReason(String code, int status) {
        this.code = code;
        this.status = status;
    }

    public String code() { return code; }

    public int status() { return status; }
}
