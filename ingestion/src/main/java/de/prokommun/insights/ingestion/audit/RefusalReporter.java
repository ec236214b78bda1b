package de.prokommun.insights.ingestion.audit;

import de.prokommun.insights.http.RefusalReporting;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.privacy.audit.RefusalEntry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * Ingestion's adapter of the one refusal reporting ({@link RefusalReporting}, http-kernel; issue 15, finding 5): a
 * participant forging another shop's follow (403), probing with guessed keys (401), or flooding with broken batches
 * (400, 413) leaves a trace the data protection officer sees in {@code GET /api/v1/audit/refusals} of the query
 * service. What is ingestion's own: the askers are accounts by key ({@link RefusalReporting#byKey}), the route is the
 * path prefixed {@code ingestion }, the reason is the one Refusals leaves under {@link #REASON}, and the entries go
 * to the refusals topic ({@link RefusalSink}).
 */
public final class RefusalReporter implements Handler<RoutingContext> {

    /** Where Refusals leaves the reason given to the sender. */
    public static final String REASON = "ingestion.refusal-reason";
    /** The prefix of every route, so the operator's view tells ingestion's refusals from the query service's. */
    public static final String ROUTE_PREFIX = "ingestion ";

    private final RefusalReporting reporting;

    public RefusalReporter(ParticipantDirectory directory, RefusalSink sink, Clock clock) {
        reporting = new RefusalReporting(ROUTE_PREFIX, REASON, RefusalReporting.Detail.QUESTION,
                RefusalReporting.byKey(directory), RefusalReporting::path, e -> sink.send(record(e)), clock);
    }

    @Override
    public void handle(RoutingContext ctx) {
        reporting.handle(ctx);
    }

    static de.prokommun.insights.events.IngestionRefusal record(RefusalEntry e) {
        return RefusalReporting.topicRecord(e);
    }
}
