package de.prokommun.insights.importer;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * Where the importer's events go: the ingestion API over HTTP ({@link EventSender}), or for bulk history straight
 * into Kafka with the same checks ({@link BulkEventSink}). Either way every event ends accepted (durable in Kafka)
 * or rejected with the endpoint's status, field and reason.
 */
public interface EventSink {
    /** Sends every event with the participant's key; {@code settled} is told how many events were settled. */
    <T> void send(String apiKey, List<EventSender.Outgoing<T>> events, EventSender.Outcome<T> outcome, LongConsumer settled)
            throws EventSender.Unavailable, InterruptedException;
}
