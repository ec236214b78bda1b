package de.prokommun.insights.flink.campaign;

import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.Campaign;
import de.prokommun.insights.events.CampaignDelivery;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.flink.city.CityCatalog;
import de.prokommun.insights.flink.city.CityConfig;
import java.time.ZoneId;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by city/campaign: admits offers up to the campaign's recipient cap (the only place that sees all of a
 * campaign's recipients), writes the delivery to the portal outbox, the {@code campaign_delivered} row and the
 * resident's own {@code campaign.delivered} record; a withdrawal removes the offer and the record. A slot once used
 * stays used (the cap counts residents who received the offer). An erased person's row is negated and the person
 * forgotten. No timers.
 */
public final class RecipientCap extends KeyedProcessFunction<String, CampaignStep, CampaignDelivery> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<ContributionDelta> ROWS = new OutputTag<>("campaign-delivered-rows") {};
    public static final OutputTag<PersonRecord> RECORDS = new OutputTag<>("campaign-delivered-records") {};

    private final CityCatalog cities;
    private transient ValueState<Long> admitted;
    private transient ValueState<byte[]> campaign;
    private transient MapState<String, Recipient> recipients;
    /** That the campaign ended, so a late offer of it is refused. */
    private transient ValueState<Boolean> ended;
    private transient Counter capped;

    public RecipientCap(CityCatalog cities) {
        this.cities = cities;
    }

    @Override
    public void open(OpenContext openContext) {
        admitted = getRuntimeContext().getState(new ValueStateDescriptor<>("campaign-admitted", Types.LONG));
        campaign = getRuntimeContext().getState(new ValueStateDescriptor<>("campaign-offer",
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        recipients = getRuntimeContext().getMapState(new MapStateDescriptor<>("campaign-recipients", Types.STRING,
                TypeInformation.of(Recipient.class)));
        ended = getRuntimeContext().getState(new ValueStateDescriptor<>("campaign-ended", Types.BOOLEAN));
        capped = getRuntimeContext().getMetricGroup().counter("offersOverRecipientCap");
    }

    @Override
    public void processElement(CampaignStep step, Context ctx, Collector<CampaignDelivery> out) throws Exception {
        switch (step.kind) {
            case OFFER -> offer(step, ctx, out);
            case WITHDRAW -> withdraw(step, ctx, out);
            case END -> end(step, ctx, out);
        }
    }

    private void offer(CampaignStep step, Context ctx, Collector<CampaignDelivery> out) throws Exception {
        // an offer sent by a matcher instance before it saw the end may arrive after another instance's END step
        if (Boolean.TRUE.equals(ended.value())) return;
        if (recipients.contains(step.pseudonym)) return; // at most once per campaign and resident
        Campaign c = Topics.CAMPAIGNS.codec().decode(step.campaign);
        long count = admitted.value() == null ? 0 : admitted.value();
        if (c.getRecipientCap() != null && count >= c.getRecipientCap()) {
            capped.inc();
            return;
        }
        admitted.update(count + 1);
        campaign.update(step.campaign);
        Recipient r = new Recipient();
        r.resident = step.resident;
        r.deliveredAt = step.at;
        r.segment = step.segment;
        r.recordVersion = DeliveredRecords.version(0, step.at);
        recipients.put(step.pseudonym, r);
        out.collect(delivery(c, step.resident, List.of(step.reasons), step.at, false));
        ctx.output(ROWS, CampaignRows.row(CampaignRows.DELIVERED, c.getCity(), c.getParticipant(), c.getCampaignId(),
                r.segment, step.at, zone(c.getCity()), 1));
        ctx.output(RECORDS, DeliveredRecords.delivered(step.pseudonym, c, List.of(step.reasons), step.at, r.recordVersion));
    }

    private void withdraw(CampaignStep step, Context ctx, Collector<CampaignDelivery> out) throws Exception {
        Recipient r = recipients.get(step.pseudonym);
        if (r == null) return; // refused by the cap, or never delivered
        Campaign c = Topics.CAMPAIGNS.codec().decode(campaign.value());
        if (!r.withdrawn) {
            out.collect(delivery(c, r.resident, List.of(), step.at, true));
            r.recordVersion = DeliveredRecords.version(r.recordVersion, step.at);
            ctx.output(RECORDS, DeliveredRecords.deleted(step.pseudonym, c, step.at, r.recordVersion));
            r.withdrawn = true;
            r.resident = null;
        }
        if (step.erased) {
            ctx.output(ROWS, CampaignRows.row(CampaignRows.DELIVERED, c.getCity(), c.getParticipant(), c.getCampaignId(),
                    r.segment, r.deliveredAt, zone(c.getCity()), -1));
            recipients.remove(step.pseudonym);
        } else {
            recipients.put(step.pseudonym, r);
        }
    }

    /**
     * The campaign ended: every standing offer is withdrawn (outbox and the resident's record) and every portal
     * reference dropped; the recipient count is dropped too. What stays per recipient is what an erasure needs to
     * negate the person's delivered row (day and segment), and the campaign itself (one per campaign): an erasure after
     * the end must still take the person out of the campaign's figures. Every matcher instance sends an END step:
     * the later ones find nothing left to withdraw.
     */
    private void end(CampaignStep step, Context ctx, Collector<CampaignDelivery> out) throws Exception {
        byte[] bytes = campaign.value();
        if (bytes != null) {
            Campaign c = Topics.CAMPAIGNS.codec().decode(bytes);
            for (var e : recipients.entries()) {
                Recipient r = e.getValue();
                if (r.withdrawn) continue;
                out.collect(delivery(c, r.resident, List.of(), step.at, true));
                r.recordVersion = DeliveredRecords.version(r.recordVersion, step.at);
                ctx.output(RECORDS, DeliveredRecords.deleted(e.getKey(), c, step.at, r.recordVersion));
                r.withdrawn = true;
                r.resident = null;
                e.setValue(r);
            }
        }
        admitted.clear();
        ended.update(true);
    }

    private static CampaignDelivery delivery(Campaign c, String resident, List<String> reasons, long at, boolean withdrawn) {
        return CampaignDelivery.newBuilder()
                .setCity(c.getCity())
                .setCampaignId(c.getCampaignId())
                .setParticipant(c.getParticipant())
                .setResident(resident)
                .setChannel(c.getChannel())
                .setOffer(c.getOffer())
                .setReasons(reasons)
                .setDeliveredAt(at)
                .setWithdrawn(withdrawn)
                .build();
    }

    private ZoneId zone(String city) {
        return cities.city(city).map(CityConfig::zone).orElse(java.time.ZoneOffset.UTC);
    }
}
