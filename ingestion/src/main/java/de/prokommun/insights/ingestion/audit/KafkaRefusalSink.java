package de.prokommun.insights.ingestion.audit;

import de.prokommun.insights.config.Settings;
import de.prokommun.insights.events.IngestionRefusal;
import de.prokommun.insights.http.RefusalTopicWriter;

/** Ingestion's refusals to the operator's audit, through the services' shared {@link RefusalTopicWriter}. */
public final class KafkaRefusalSink implements RefusalSink {
    private final RefusalTopicWriter writer;

    private KafkaRefusalSink(RefusalTopicWriter writer) {
        this.writer = writer;
    }

    public static KafkaRefusalSink create(Settings settings) {
        return new KafkaRefusalSink(RefusalTopicWriter.create(settings, "prokommun-ingestion-refusals"));
    }

    @Override
    public void send(IngestionRefusal refusal) {
        writer.accept(refusal);
    }

    @Override
    public void close() {
        writer.close();
    }
}
