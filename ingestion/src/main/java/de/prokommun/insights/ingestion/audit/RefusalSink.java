package de.prokommun.insights.ingestion.audit;

import de.prokommun.insights.events.IngestionRefusal;

/** Where ingestion's refusals go for the operator's audit (the topic ingestion-refusals). */
public interface RefusalSink extends AutoCloseable {

    /** Hands one refusal on; never blocks the event loop and never fails the answer already sent. */
    void send(IngestionRefusal refusal);

    @Override
    void close();

    /** Nowhere: ingestion without Kafka for its audit (ingestion.audit.refusals=false, or tests without a broker). */
    RefusalSink NONE = new RefusalSink() {
        @Override
        public void send(IngestionRefusal refusal) {}

        @Override
        public void close() {}
    };
}
