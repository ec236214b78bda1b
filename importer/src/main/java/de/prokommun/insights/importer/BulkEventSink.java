package de.prokommun.insights.importer;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.ingestion.bulk.BulkEventWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Bulk history without HTTP: each event is checked by the ingestion's own code ({@link BulkEventWriter}: the
 * endpoint's parser, limits, sender rules and retention) and written to the raw-events topic; an event counts as
 * accepted once Kafka acknowledged it. Refusals carry the status the endpoint would have answered, so the import
 * report reads the same as for an import over HTTP.
 */
public final class BulkEventSink implements EventSink, AutoCloseable {
    private final BulkEventWriter writer;

    public BulkEventSink(BulkEventWriter writer) {
        this.writer = writer;
    }

    /** A sink for the Kafka cluster, participants file and cities of these (ingestion) settings. */
    public static BulkEventSink open(Settings settings) {
        return new BulkEventSink(BulkEventWriter.open(settings));
    }

    @Override
    public <T> void send(String apiKey, List<EventSender.Outgoing<T>> events, EventSender.Outcome<T> outcome,
                         LongConsumer settled) throws EventSender.Unavailable, InterruptedException {
        List<T> written = new ArrayList<>(events.size());
        try {
            for (EventSender.Outgoing<T> e : events) {
                BulkEventWriter.Refusal refusal = writer.write(apiKey, new JsonObject(Buffer.buffer(e.json())));
                if (refusal == null) {
                    written.add(e.source());
                    continue;
                }
                String reason = null;
                for (BulkEventWriter.Problem p : refusal.problems()) {
                    String one = EventSender.reasonOf(refusal.status(), p.field(), p.reason());
                    reason = reason == null ? one : EventSender.mergeReasons(reason, one);
                }
                outcome.rejected(e.source(), reason);
                settled.accept(1);
            }
            writer.flush();
        } catch (BulkEventWriter.NotAcknowledged e) {
            written.forEach(s -> outcome.rejected(s, "not sent: " + e.getMessage()));
            throw new EventSender.Unavailable(e.getMessage());
        }
        written.forEach(outcome::accepted);
        settled.accept(written.size());
    }

    @Override
    public void close() {
        writer.close();
    }
}
