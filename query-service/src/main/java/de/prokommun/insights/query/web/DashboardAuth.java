package de.prokommun.insights.query.web;

import de.prokommun.insights.participants.Participant;
import de.prokommun.insights.participants.Role;
import de.prokommun.insights.participants.ParticipantDirectory;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.Set;

/**
 * {@code Authorization: Bearer <apiKey>} for the dashboard routes, with the roles a route admits
 * (401 without or with an unknown key, 403 for another role). The key is never logged or kept here.
 */
final class DashboardAuth implements Handler<RoutingContext> {

    static final String PARTICIPANT = "dashboard.participant";
    private static final String SCHEME = "bearer ";
    private final ParticipantDirectory directory;
    private final Set<Role> admitted;

    DashboardAuth(ParticipantDirectory directory, Set<Role> admitted) {
        this.directory = directory;
        this.admitted = admitted;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || header.length() <= SCHEME.length()
                || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            WebErrors.send(ctx, 401, "missing or malformed Authorization header; expected 'Bearer <API key>'");
            return;
        }
        Optional<Participant> p = directory.authenticate(header.substring(SCHEME.length()).trim());
        if (p.isEmpty()) {
            WebErrors.send(ctx, 401, "unknown API key");
            return;
        }
        if (!admitted.contains(p.get().role())) {
            WebErrors.send(ctx, 403, "the role " + p.get().role() + " may not use this endpoint; allowed: " + admitted);
            return;
        }
        ctx.put(PARTICIPANT, p.get());
        ctx.next();
    }

    static Participant participant(RoutingContext ctx) {
        return ctx.get(PARTICIPANT);
    }
}
