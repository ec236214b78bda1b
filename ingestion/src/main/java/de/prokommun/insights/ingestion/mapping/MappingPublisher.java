package de.prokommun.insights.ingestion.mapping;

import de.prokommun.insights.events.ProductGroupMapping;
import io.vertx.core.Future;
import java.util.List;

/** Makes mappings durable. The future succeeds only when every mapping is acknowledged. */
public interface MappingPublisher {

    Future<Void> publish(List<ProductGroupMapping> mappings);

    Future<Void> close();

    /** The compacted topic's key: the newest mapping of a participant's group survives compaction. */
    static String keyOf(ProductGroupMapping m) {
        return m.getCity() + "/" + m.getParticipant() + "/" + m.getProductGroup();
    }
}
