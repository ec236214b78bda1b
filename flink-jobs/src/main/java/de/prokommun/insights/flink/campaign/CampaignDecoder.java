package de.prokommun.insights.flink.campaign;

import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.Campaign;
import de.prokommun.insights.flink.events.RawRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Decodes the campaigns topic; an undecodable record or a tombstone is skipped (counted: {@code undecodableCampaigns}). */
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
            undecodable.inc();
        }
    }
}
