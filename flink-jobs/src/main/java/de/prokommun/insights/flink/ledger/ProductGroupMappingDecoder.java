package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.contract.MalformedRecordException;
import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.flink.events.DeadLetters;
import de.prokommun.insights.flink.events.RawRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes product-group mappings; undecodable records and mappings without city, participant or product group
 * become dead letters with the reason. A mapping is removed by a record with category null (a Kafka tombstone
 * carries no mapping and is a dead letter too).
 */
public final class ProductGroupMappingDecoder extends ProcessFunction<RawRecord, ProductGroupMapping> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "product-group-mappings";

    private transient Counter deadLetters;

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<ProductGroupMapping> out) {
        ProductGroupMapping mapping;
        try {
            if (raw.value == null) throw new MalformedRecordException("empty record value", null);
            mapping = Topics.PRODUCT_GROUP_MAPPINGS.codec().decode(raw.value);
        } catch (RuntimeException e) {
            reject(raw, "undecodable ProductGroupMapping: " + e.getMessage(), null, ctx);
            return;
        }
        String missing = blank(mapping.getCity()) ? "city" : blank(mapping.getParticipant()) ? "participant"
                : blank(mapping.getProductGroup()) ? "productGroup" : null;
        if (missing != null) {
            reject(raw, "ProductGroupMapping: field '" + missing + "' is empty", mapping.getCity(), ctx);
            return;
        }
        out.collect(mapping);
    }

    private void reject(RawRecord raw, String reason, String city, Context ctx) {
        deadLetters.inc();
        ctx.output(DeadLetters.TAG, DeadLetters.of(STAGE, reason, raw, null, city, ctx.timerService().currentProcessingTime()));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
