package de.prokommun.insights.ingestion.api;

import de.prokommun.insights.ingestion.RejectionReason;
import de.prokommun.insights.participants.Participant;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.participants.Role;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Authenticates the caller by API key ({@code Authorization: Bearer <key>} or {@code X-Api-Key}) and lets
 * only submitting roles through. The key itself is never logged or kept; only its owner travels on.
 */
public final class ApiKeyAuthHandler implements Handler<RoutingContext> {

    static final String SENDER = "ingestion.sender";
    private static final String CHALLENGE = "Bearer realm=\"prokommun-insights\"";

    private final ParticipantDirectory directory;
    private final Refusals errors;

    private final boolean operatorsOnly;

    /** Lets participants and the portal through (submitting roles); operators are refused. */
    public ApiKeyAuthHandler(ParticipantDirectory directory, Refusals errors) {
        this(directory, errors, false);
    }

    private ApiKeyAuthHandler(ParticipantDirectory directory, Refusals errors, boolean operatorsOnly) {
        this.directory = directory;
        this.errors = errors;
        this.operatorsOnly = operatorsOnly;
    }

    /** Lets operator keys only through: the service's own counters ({@code GET /metrics}, issue 15). */
    public static ApiKeyAuthHandler operatorsOnly(ParticipantDirectory directory, Refusals errors) {
        return new ApiKeyAuthHandler(directory, errors, true);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String authorization = ctx.request().getHeader("Authorization");
        String apiKey = ctx.request().getHeader("X-Api-Key");
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                unauthorized(ctx, "unsupported Authorization scheme; send 'Authorization: Bearer <API key>'");
                return;
            }
            apiKey = authorization.substring(7).trim();
        }
        if (apiKey == null || apiKey.isBlank()) {
            unauthorized(ctx, "missing API key; send 'Authorization: Bearer <API key>' or 'X-Api-Key: <API key>'");
            return;
        }
        Participant sender = directory.authenticate(apiKey).orElse(null);
        if (sender == null) {
            unauthorized(ctx, "unknown API key");
            return;
        }
        if (operatorsOnly && sender.role() != Role.OPERATOR) {
            errors.reject(ctx, RejectionReason.FORBIDDEN, "only an operator's API key may read " + ctx.request().path());
            return;
        }
        if (!operatorsOnly && sender.role() == Role.OPERATOR) {
            errors.reject(ctx, RejectionReason.FORBIDDEN, "operator keys cannot submit events");
            return;
        }
        ctx.put(SENDER, sender);
        ctx.next();
    }

    private void unauthorized(RoutingContext ctx, String message) {
        ctx.response().putHeader("WWW-Authenticate", CHALLENGE);
        errors.reject(ctx, RejectionReason.UNAUTHORIZED, message);
    }

    public static Participant sender(RoutingContext ctx) {
        Participant sender = ctx.get(SENDER);
        if (sender == null) throw new IllegalStateException("route is missing the API key handler");
        return sender;
    }
}
