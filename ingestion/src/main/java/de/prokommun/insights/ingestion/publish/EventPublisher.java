package de.prokommun.insights.ingestion.publish;

import de.prokommun.insights.events.InteractionEvent;
import io.vertx.core.Future;
import java.util.List;

/** Makes accepted events durable. The returned future succeeds only when every event is acknowledged. */
public interface EventPublisher {

    /**
     * Publishes the events in order; succeeds once all are durably stored, fails with
     * {@link PublishFailedException} if any could not be stored in time.
     */
    Future<Void> publish(List<InteractionEvent> events);

    /** Flushes what is in flight and releases the connection. */
    Future<Void> close();
}
