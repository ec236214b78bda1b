package de.prokommun.insights.resident.api;

import de.prokommun.insights.http.ApiError;
import de.prokommun.insights.resident.ResidentConfig;
import de.prokommun.insights.resident.auth.ErasureRegister;
import de.prokommun.insights.resident.auth.InvalidTokenException;
import de.prokommun.insights.resident.auth.Resident;
import de.prokommun.insights.resident.auth.ResidentPseudonym;
import de.prokommun.insights.resident.auth.TokenClaims;
import de.prokommun.insights.resident.auth.TokenVerifier;
import de.prokommun.insights.resident.data.PersonStore;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code Authorization: Bearer <JWT>} from the portal. The verified token alone decides whose data a request
 * reaches: its {@code sub} and {@code city} give the pseudonyms of every generation, and Pinot tells which one is
 * current; every later handler uses that one. A refusal is 401 naming the reason; the token itself is never logged or
 * echoed.
 * <p>Erasure is final (issue 14, item 7): a token issued before the resident's last erasure (its {@code iat} not after
 * it, or no {@code iat} at all) is refused with 401 "erased" as long as the {@link ErasureRegister} remembers the
 * erasure; so that the register can forget, no token may live longer than {@code resident.jwt.max-lifetime}. The
 * route that reports the status of a change request may skip the erasure check ({@link #allowingErased}): the session
 * that asked for the erasure may see it done, and a status holds nothing of the person.
 * <p>The register is shared by every instance through Kafka ({@code ErasureFeed}): before the check, a request waits until
 * this instance has read every erasure written before the request arrived — up to {@code resident.erasures.max-wait},
 * then 503 with Retry-After. A freshly started instance therefore never answers an old token before it has read the
 * register, and an erasure taken by another instance counts here as soon as that instance acknowledged it.
 */
final class ResidentAuthentication implements Handler<RoutingContext> {

    private static final String SCHEME = "bearer ";
    private static final String RESIDENT = "resident";
    private final TokenVerifier tokens;
    private final ResidentPseudonym pseudonyms;
    private final ErasureRegister erasures;
    private final Duration erasureWait;
    private final PersonStore store;
    private final Clock clock;
    private final boolean refuseErased;

    ResidentAuthentication(TokenVerifier tokens, ResidentPseudonym pseudonyms, ErasureRegister erasures,
                           Duration erasureWait, PersonStore store, Clock clock) {
        this(tokens, pseudonyms, erasures, erasureWait, store, clock, true);
    }

    private ResidentAuthentication(TokenVerifier tokens, ResidentPseudonym pseudonyms, ErasureRegister erasures,
                                   Duration erasureWait, PersonStore store, Clock clock, boolean refuseErased) {
        this.tokens = tokens;
        this.pseudonyms = pseudonyms;
        this.erasures = erasures;
        this.erasureWait = erasureWait;
        this.store = store;
        this.clock = clock;
        this.refuseErased = refuseErased;
    }

    /** The same authentication without the erasure check (for the status of change requests only). */
    ResidentAuthentication allowingErased() {
        return new ResidentAuthentication(tokens, pseudonyms, erasures, erasureWait, store, clock, false);
    }

    /** The authenticated resident's city, or null (not authenticated, or refused): for the audit of refusals. */
    static String cityOrNull(RoutingContext ctx) {
        Resident r = ctx.get(RESIDENT);
        return r == null ? null : r.city();
    }

    static Resident resident(RoutingContext ctx) {
        Resident r = ctx.get(RESIDENT);
        if (r == null) throw new IllegalStateException("route without ResidentAuthentication");
        return r;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Instant arrived = clock.instant();
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
            TokenClaims claims = verified.result();
            String city = claims.city();
            Optional<List<String>> generations = pseudonyms.generations(city, claims.subject());
            if (generations.isEmpty()) {
                ApiError.of(403, "claim 'city': the city '" + shortened(city) + "' is not served by this installation").send(ctx);
                return;
            }
            String lifetime = lifetimeProblem(claims, clock.instant(), erasures.maxTokenLifetime());
            if (lifetime != null) {
                unauthorized(ctx, lifetime);
                return;
            }
            String residentKey = generations.get().get(0);
            if (!refuseErased) {
                proceed(ctx, claims, generations.get());
                return;
            }
            ctx.vertx().executeBlocking(() -> erasures.awaitCurrent(arrived, erasureWait), false)
                    .onFailure(ctx::fail)
                    .onSuccess(current -> {
                        if (!current) {
                            ctx.response().putHeader("Retry-After", ResidentFailures.RETRY_AFTER_SECONDS);
                            ApiError.of(503, "the erasure register (Kafka topic resident-erasures) has not been read"
                                    + " up to now within " + erasureWait.toMillis() + " ms (resident.erasures.max-wait): it is"
                                    + " unknown whether this token's resident was erased; try again shortly").send(ctx);
                            return;
                        }
                        Optional<Instant> erased = erasures.erasedAt(city, residentKey);
                        if (erased.isPresent() && (claims.issuedAt() == null || !claims.issuedAt().isAfter(erased.get()))) {
                            unauthorized(ctx, "erased: this token was issued before the resident's erasure at " + erased.get()
                                    + (claims.issuedAt() == null ? " (it carries no 'iat')"
                                            : " (claim 'iat' is " + claims.issuedAt() + ")")
                                    + "; sign in again for a new token");
                            return;
                        }
                        proceed(ctx, claims, generations.get());
                    });
        });
    }

    private void proceed(RoutingContext ctx, TokenClaims claims, List<String> generations) {
        ctx.vertx().executeBlocking(() -> store.currentPseudonym(claims.city(), generations), false)
                .onFailure(ctx::fail)
                .onSuccess(current -> {
                    ctx.put(RESIDENT, new Resident(claims.subject(), claims.city(), current, generations.get(0)));
                    ctx.next();
                });
    }

    /**
     * A token living longer than the configured maximum could outlive the erasure register's memory: refused.
     * Without {@code iat} its expiry must lie within the maximum from now.
     */
    static String lifetimeProblem(TokenClaims claims, Instant now, Duration max) {
        String key = ResidentConfig.JWT_MAX_LIFETIME.name();
        if (claims.issuedAt() != null) {
            Duration lifetime = Duration.between(claims.issuedAt(), claims.expiresAt());
            return lifetime.compareTo(max) > 0 ? "claim 'exp' lies " + lifetime.toSeconds() + " s after claim 'iat'; tokens"
                    + " may live at most " + max.toSeconds() + " s (" + key + ")" : null;
        }
        return claims.expiresAt().isAfter(now.plus(max)) ? "claim 'exp' lies more than " + max.toSeconds()
                + " s ahead (" + key + ") and the token carries no 'iat'" : null;
    }

    private static void unauthorized(RoutingContext ctx, String message) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"prokommun-residents\", error=\"invalid_token\"");
        ApiError.of(401, message).send(ctx);
    }

    private static String shortened(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }
}
