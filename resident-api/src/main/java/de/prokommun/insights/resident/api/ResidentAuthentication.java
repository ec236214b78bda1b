package de.prokommun.insights.resident.api;

import de.prokommun.insights.resident.auth.InvalidTokenException;
import de.prokommun.insights.resident.auth.Resident;
import de.prokommun.insights.resident.auth.ResidentPseudonym;
import de.prokommun.insights.resident.auth.TokenVerifier;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * {@code Authorization: Bearer <JWT>} from the portal. The verified token alone decides whose data a request
 * reaches: its {@code sub} and {@code city} give the pseudonym, which every later handler uses. A refusal is
 * 401 naming the reason; the token itself is never logged or echoed.
 */
final class ResidentAuthentication implements Handler<RoutingContext> {

    private static final String SCHEME = "bearer ";
    private static final String RESIDENT = "resident";
    private final TokenVerifier tokens;
    private final ResidentPseudonym pseudonyms;

    ResidentAuthentication(TokenVerifier tokens, ResidentPseudonym pseudonyms) {
        this.tokens = tokens;
        this.pseudonyms = pseudonyms;
    }

    static Resident resident(RoutingContext ctx) {
        Resident r = ctx.get(RESIDENT);
        if (r == null) throw new IllegalStateException("route without ResidentAuthentication");
        return r;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || header.isBlank()) {
            unauthorized(ctx, "missing Authorization header; expected 'Bearer <token from the portal>'");
            return;
        }
        if (header.length() <= SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            unauthorized(ctx, "Authorization header must use the Bearer scheme: 'Bearer <token from the portal>'");
            return;
        }
        tokens.verify(header.substring(SCHEME.length()).trim()).onComplete(verified -> {
            if (verified.failed()) {
                unauthorized(ctx, verified.cause() instanceof InvalidTokenException ? verified.cause().getMessage()
                        : "token not accepted");
                return;
            }
            String city = verified.result().city();
            Optional<String> pseudonym = pseudonyms.of(city, verified.result().subject());
            if (pseudonym.isEmpty()) {
                ApiErrors.send(ctx, 403, "claim 'city': the city '" + shortened(city) + "' is not served by this installation");
                return;
            }
            ctx.put(RESIDENT, new Resident(verified.result().subject(), city, pseudonym.get()));
            ctx.next();
        });
    }

    private static void unauthorized(RoutingContext ctx, String message) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"prokommun-residents\", error=\"invalid_token\"");
        ApiErrors.send(ctx, 401, message);
    }

    private static String shortened(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }
}
