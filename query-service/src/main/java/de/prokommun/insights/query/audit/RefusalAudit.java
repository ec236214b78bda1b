package de.prokommun.insights.query.audit;

import de.prokommun.insights.http.RefusalReporting;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.privacy.audit.AuditLog;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * The query service's adapter of the one refusal reporting ({@link RefusalReporting}, http-kernel; issue 15, finding
 * 5): a probing participant leaves a trace for the data protection officer even when nothing is released. What is
 * the query service's own: the entries go straight into its audit log (beside released answers; ingestion's and the
 * resident API's arrive through the refusals topic), the askers are accounts by key ({@link RefusalReporting#byKey}),
 * the route is the path without prefix, the reason is the one {@link de.prokommun.insights.http.ApiError} leaves on
 * the context, the fingerprint covers method, path, sorted query parameters and the body's JSON with sorted keys.
 */
public final class RefusalAudit implements Handler<RoutingContext> {

    /** Where the one error shape's sender leaves the reason given to the asker. */
    public static final String REASON = de.prokommun.insights.http.ApiError.REASON;

    private final RefusalReporting reporting;

    public RefusalAudit(AuditLog log, ParticipantDirectory directory, Clock clock) {
        reporting = new RefusalReporting("", REASON, RefusalReporting.Detail.QUESTION, RefusalReporting.byKey(directory),
                RefusalReporting::path, log::record, clock);
    }

    @Override
    public void handle(RoutingContext ctx) {
        reporting.handle(ctx);
    }

    static String presentedKey(RoutingContext ctx) {
        return RefusalReporting.presentedKey(ctx);
    }
}
