package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseLine;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Resolves the city's category of each product group of a purchase under the participants' mappings (broadcast
 * state, {@link ProductGroups}) and carries them on the event ({@code productCategories}); every other event passes
 * unchanged. It stands in front of the shuffle by pseudonym so that the keyed operators behind it have one input
 * each and chain into one task: an operator with a broadcast input takes every checkpoint aligned on all its
 * inputs, and the profile builder's alignment was where a checkpoint's time went under load (docs/BENCHMARKS.md).
 * A mapping applies to purchases that pass here after it arrived, i.e. as submitted, also when the purchase then
 * waits for its person's registration.
 */
public final class ProductGroupCategoriser extends BroadcastProcessFunction<AnonymousEvent, ProductGroupMapping, AnonymousEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processBroadcastElement(ProductGroupMapping mapping, Context ctx, Collector<AnonymousEvent> out) throws Exception {
        ProductGroups.apply(ctx.getBroadcastState(ProductGroups.DESCRIPTOR), mapping);
    }

    @Override
    public void processElement(AnonymousEvent event, ReadOnlyContext ctx, Collector<AnonymousEvent> out) throws Exception {
        var mappings = ctx.getBroadcastState(ProductGroups.DESCRIPTOR);
        out.collect(categorised(event, (city, participant, group) -> mappings.get(ProductGroups.key(city, participant, group))));
    }

    /**
     * The event with the categories of its purchase's mapped product groups; whatever it carried before is replaced
     * (only this operator sets them). The event's own instance is changed: this operator is its only consumer.
     */
    public static AnonymousEvent categorised(AnonymousEvent event, ProductGroups.Lookup mappings) throws Exception {
        if (!(event.getPayload() instanceof Purchase purchase)) {
            event.setProductCategories(null);
            return event;
        }
        Map<String, String> categories = new HashMap<>();
        for (PurchaseLine line : purchase.getLines()) {
            String category = mappings.categoryOf(event.getCity(), event.getParticipant(), line.getProductGroup());
            if (category != null) categories.put(line.getProductGroup(), category);
        }
        event.setProductCategories(categories);
        return event;
    }
}
