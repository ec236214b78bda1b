package de.prokommun.insights.query.api;

import de.prokommun.insights.http.ApiError;
import de.prokommun.insights.participants.Participant;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * {@code Authorization: Bearer <apiKey>}: participants and the operator may ask; the portal's key only
 * reports events (403); a missing or unknown key is 401. The key itself is never logged or kept.
 */
final class ApiKeyAuthentication implements Handler<RoutingContext> {

    private static final String SCHEME = "bearer ";
    private final ParticipantDirectory directory;

    ApiKeyAuthentication(ParticipantDirectory directory) {
        this.directory = directory;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || header.isBlank()) {
            unauthorized(ctx, "missing Authorization header; expected 'Bearer <API key>'");
            return;
        }
        if (header.length() <= SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            unauthorized(ctx, "Authorization header must use the Bearer scheme: 'Bearer <API key>'");
            return;
        }
        Optional<Participant> participant = directory.authenticate(header.substring(SCHEME.length()).trim());
        if (participant.isEmpty()) {
            unauthorized(ctx, "unknown API key");
            return;
        }
        Optional<AskerRole> role = askerRole(participant.get());
        if (role.isEmpty()) {
            ApiError.of(403, "the role " + participant.get().role()
                    + " may not query audiences; participant or operator keys may").send(ctx);
            return;
        }
        RequestContext.asker(ctx, new Asker(participant.get().city(), participant.get().id(), role.get()));
        ctx.next();
    }

    private static Optional<AskerRole> askerRole(Participant p) {
        return switch (p.role()) {
            case PARTICIPANT -> Optional.of(AskerRole.PARTICIPANT);
            case OPERATOR -> Optional.of(AskerRole.OPERATOR);
            case PORTAL -> Optional.empty();
        };
    }

    private static void unauthorized(RoutingContext ctx, String message) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"prokommun-insights\"");
        ApiError.of(401, message).send(ctx);
    }
}
