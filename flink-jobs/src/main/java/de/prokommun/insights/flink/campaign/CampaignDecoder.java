package de.prokommun.insights.flink.campaign;

import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.Campaign;
import de.prokommun.insights.flink.events.DeadLetters;
import de.prokommun.insights.flink.events.RawRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Decodes the campaigns topic; a tombstone is skipped, an undecodable record becomes a dead letter (and is counted). */
public final class CampaignDecoder extends ProcessFunction<RawRecord, Campaign> {
    private static final long serialVersionUID = 1L;
    private transient Counter undecodable;

    @Override
    public void open(OpenContext openContext) {
        undecodable = getRuntimeContext().getMetricGroup().counter("undecodableCampaigns");
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<Campaign> out) {
        if (raw.value == null) return;
        try {
            out.collect(Topics.CAMPAIGNS.codec().decode(raw.value));
        } catch (RuntimeException e) {
            if (undecodable != null) undecodable.inc();
            ctx.output(DeadLetters.TAG, DeadLetters.of(SignalDecoder.STAGE, "undecodable Campaign: " + e.getMessage(), raw,
                    null, null, ctx.timerService().currentProcessingTime()));
        }
    }
}
