package de.prokommun.insights.flink.campaign;

import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.Campaign;
import de.prokommun.insights.events.CampaignStatus;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.flink.city.CityCatalog;
import de.prokommun.insights.flink.city.CityConfig;
import de.prokommun.insights.flink.ledger.Segment;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The person side of campaigns, keyed by pseudonym, with the campaigns as broadcast state (docs/CAMPAIGNS.md,
 * "Matching"): on every profile row, contact and campaign change it decides for each campaign of the person's city
 * whether the person is eligible ({@link CampaignEligibility}); at the first eligibility it assigns control or
 * treatment (rows {@code campaign_control} / {@code campaign_treatment}); a treatment resident with a contact gets the
 * offer handed to the {@link RecipientCap} once, within {@code campaign.max-per-week} offers per calendar week; one
 * who leaves gets a withdrawal. Opened offers and purchases at the participant become the result rows. A deleted
 * profile row (erasure or withdrawn analytics consent) negates every row written for the person, withdraws every
 * offer (the cap then forgets the person) and clears all state. No timers.
 * <p>A new or changed campaign is evaluated for every person in state at once ({@code applyToKeyedState}).
 */
public final class CampaignMatcher extends KeyedBroadcastProcessFunction<String, PersonSignal, Campaign, CampaignStep> {
    private static final long serialVersionUID = 1L;

    /** The campaigns (Avro bytes of the campaigns topic), key city/campaignId. */
    public static final MapStateDescriptor<String, byte[]> CAMPAIGNS = new MapStateDescriptor<>("campaigns",
            Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    /** The broadcast value of an ended campaign: only that it ended (a later record of it is ignored). */
    private static final byte[] ENDED = new byte[0];
    /** Treatment, control, opened, redeemed and converted rows (and their negations at erasure). */
    public static final OutputTag<ContributionDelta> ROWS = new OutputTag<>("campaign-person-rows") {};
    static final ValueStateDescriptor<byte[]> PROFILE = new ValueStateDescriptor<>("campaign-profile",
            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    static final MapStateDescriptor<String, PersonCampaign> STANDING = new MapStateDescriptor<>("campaign-standing",
            Types.STRING, TypeInformation.of(PersonCampaign.class));

    private final CityCatalog cities;
    private final int maxPerWeek;

    private transient ValueState<byte[]> profile;
    private transient ValueState<String> contact;
    private transient MapState<String, PersonCampaign> standing;
    private transient ValueState<WeekCount> week;
    private transient Map<String, Decoded> decoded;
    private transient Counter weeklyCapped;

    public CampaignMatcher(CityCatalog cities, int maxPerWeek) {
        this.cities = cities;
        this.maxPerWeek = maxPerWeek;
    }

    @Override
    public void open(OpenContext openContext) {
        profile = getRuntimeContext().getState(PROFILE);
        contact = getRuntimeContext().getState(new ValueStateDescriptor<>("campaign-contact", Types.STRING));
        standing = getRuntimeContext().getMapState(STANDING);
        week = getRuntimeContext().getState(new ValueStateDescriptor<>("campaign-week", TypeInformation.of(WeekCount.class)));
        decoded = new HashMap<>();
        weeklyCapped = getRuntimeContext().getMetricGroup().counter("offersHeldByWeeklyCap");
    }

    @Override
    public void processBroadcastElement(Campaign c, Context ctx, Collector<CampaignStep> out) throws Exception {
        String key = c.getCity() + '/' + c.getCampaignId();
        byte[] known = ctx.getBroadcastState(CAMPAIGNS).get(key);
        if (known != null && known.length == 0) return; // ended is final, whatever a later record says
        if (c.getStatus() == CampaignStatus.ENDED) {
            end(key, c, ctx, out);
            return;
        }
        byte[] bytes = Topics.CAMPAIGNS.codec().encode(c);
        ctx.getBroadcastState(CAMPAIGNS).put(key, bytes);
        decoded.put(key, new Decoded(bytes, c));
        long now = ctx.currentProcessingTime();
        ctx.applyToKeyedState(PROFILE, (pseudonym, state) -> {
            byte[] row = state.value();
            if (row != null) evaluate(pseudonym, c, bytes, Topics.PROFILES.codec().decode(row), now, ctx::output, out);
        });
    }

    /**
     * An ended campaign leaves the broadcast state (but for an empty marker) and is never evaluated, offered, opened
     * or redeemed again. The recipient cap, which holds the references, withdraws the standing offers on the END step
     * (each parallel instance sends one; the cap handles them idempotently). Each person's standing entry of it stays,
     * inert, until the person is erased: it is what the erasure negates, so that an erased person leaves the figures of
     * an ended campaign too (docs/CAMPAIGNS.md, "State").
     */
    private void end(String key, Campaign c, Context ctx, Collector<CampaignStep> out) throws Exception {
        ctx.getBroadcastState(CAMPAIGNS).put(key, ENDED);
        decoded.remove(key);
        String id = c.getCampaignId();
        CampaignStep s = new CampaignStep();
        s.kind = CampaignStep.Kind.END;
        s.city = c.getCity();
        s.campaignId = id;
        s.at = ctx.currentProcessingTime();
        out.collect(s);
    }

    @Override
    public void processElement(PersonSignal s, ReadOnlyContext ctx, Collector<CampaignStep> out) throws Exception {
        long now = ctx.currentProcessingTime();
        switch (s.kind) {
            case PROFILE -> {
                ProfileRow row = Topics.PROFILES.codec().decode(s.profile);
                if (row.getDeleted()) {
                    erase(ctx.getCurrentKey(), row.getCity(), now, ctx::output, out);
                    return;
                }
                profile.update(s.profile);
                evaluateAll(ctx, row, now, out);
            }
            case CONTACT -> {
                contact.update(s.resident);
                byte[] row = profile.value();
                if (row != null) evaluateAll(ctx, Topics.PROFILES.codec().decode(row), now, out);
            }
            case OPENED -> opened(s, ctx);
            case PURCHASE -> purchased(s, ctx);
        }
    }

    private void evaluateAll(ReadOnlyContext ctx, ProfileRow row, long now, Collector<CampaignStep> out) throws Exception {
        ReadOnlyBroadcastState<String, byte[]> all = ctx.getBroadcastState(CAMPAIGNS);
        String prefix = row.getCity() + '/';
        for (Map.Entry<String, byte[]> e : all.immutableEntries()) {
            if (!e.getKey().startsWith(prefix) || e.getValue().length == 0) continue;
            evaluate(ctx.getCurrentKey(), campaign(e.getKey(), e.getValue()), e.getValue(), row, now, ctx::output, out);
        }
    }

    /** One person × one campaign: assign, offer or withdraw. */
    private void evaluate(String pseudonym, Campaign c, byte[] campaignBytes, ProfileRow row, long now, Rows rows,
                          Collector<CampaignStep> out) throws Exception {
        if (!c.getCity().equals(row.getCity()) || c.getStatus() == CampaignStatus.PAUSED) return;
        ZoneId zone = zone(c.getCity());
        int today = (int) java.time.Instant.ofEpochMilli(now).atZone(zone).toLocalDate().toEpochDay();
        Optional<List<String>> reasons = CampaignEligibility.of(c, row, now, today);
        PersonCampaign pc = standing.get(c.getCampaignId());
        if (reasons.isEmpty()) {
            if (pc != null && pc.offered && !pc.withdrawn) {
                pc.withdrawn = true;
                standing.put(c.getCampaignId(), pc);
                out.collect(withdrawal(c.getCity(), c.getCampaignId(), pseudonym, false, now));
            }
            return;
        }
        if (pc == null) {
            pc = new PersonCampaign();
            pc.participant = c.getParticipant();
            pc.control = CampaignEligibility.isControl(c.getCampaignId(), pseudonym, c.getControlPerMille());
            pc.assignedAt = now;
            pc.segment = Segment.of(row);
            rows.output(ROWS, CampaignRows.row(pc.control ? CampaignRows.CONTROL : CampaignRows.TREATMENT, c.getCity(),
                    c.getParticipant(), c.getCampaignId(), pc.segment, now, zone, 1));
        }
        String resident = contact.value();
        if (!pc.control && !pc.offered && resident != null) {
            if (takeWeeklySlot(now, zone)) {
                pc.offered = true;
                out.collect(offer(c, campaignBytes, pseudonym, resident, reasons.get(), pc.segment, now));
            } else {
                weeklyCapped.inc(); // offered later, when a change of person or campaign finds a free week
                if (pc.heldAt == null) {
                    pc.heldAt = now;
                    rows.output(ROWS, CampaignRows.row(CampaignRows.HELD_WEEKLY_CAP, c.getCity(), c.getParticipant(),
                            c.getCampaignId(), pc.segment, now, zone, 1));
                }
            }
        }
        standing.put(c.getCampaignId(), pc);
    }

    private boolean takeWeeklySlot(long now, ZoneId zone) throws Exception {
        int w = CampaignRows.weekOf(now, zone);
        WeekCount current = week.value();
        int count = current == null || current.week != w ? 0 : current.count;
        if (count >= maxPerWeek) return false;
        week.update(new WeekCount(w, count + 1));
        return true;
    }

    private void opened(PersonSignal s, ReadOnlyContext ctx) throws Exception {
        PersonCampaign pc = standing.get(s.campaignId);
        if (pc == null || !pc.offered || pc.openedAt != null) return;
        byte[] known = ctx.getBroadcastState(CAMPAIGNS).get(s.city + '/' + s.campaignId);
        if (known != null && known.length == 0) return; // ended: its offer was withdrawn
        pc.openedAt = s.eventTime;
        standing.put(s.campaignId, pc);
        ctx.output(ROWS, CampaignRows.row(CampaignRows.OPENED, s.city, pc.participant, s.campaignId, pc.segment,
                s.eventTime, zone(s.city), 1));
    }

    /** A purchase or redemption of the person: redeemed (the offer's code) and converted (a purchase in validity). */
    private void purchased(PersonSignal s, ReadOnlyContext ctx) throws Exception {
        ReadOnlyBroadcastState<String, byte[]> all = ctx.getBroadcastState(CAMPAIGNS);
        for (Map.Entry<String, PersonCampaign> e : standing.entries()) {
            PersonCampaign pc = e.getValue();
            if (!pc.participant.equals(s.participant)) continue;
            String key = s.city + '/' + e.getKey();
            byte[] bytes = all.get(key);
            if (bytes == null || bytes.length == 0) continue;
            Campaign c = campaign(key, bytes);
            boolean changed = false;
            String code = c.getOffer().getCode();
            if (pc.redeemedAt == null && code != null && code.equals(s.campaignCode)) {
                pc.redeemedAt = s.eventTime;
                ctx.output(ROWS, CampaignRows.row(CampaignRows.REDEEMED, s.city, pc.participant, e.getKey(), pc.segment,
                        s.eventTime, zone(s.city), 1));
                changed = true;
            }
            if (pc.convertedAt == null && "purchase".equals(s.recordKind) && s.eventTime >= pc.assignedAt
                    && s.eventTime >= c.getOffer().getValidFrom() && s.eventTime < c.getOffer().getValidUntil()) {
                pc.convertedAt = s.eventTime;
                ctx.output(ROWS, CampaignRows.converted(s.city, pc.participant, e.getKey(), pc.segment,
                        s.eventTime, zone(s.city), 1, pc.control));
                changed = true;
            }
            if (changed) standing.put(e.getKey(), pc);
        }
    }

    /** Erasure or withdrawn analytics consent: every row negated, every offer withdrawn, nothing of the person kept. */
    private void erase(String pseudonym, String city, long now, Rows rows, Collector<CampaignStep> out) throws Exception {
        ZoneId zone = zone(city);
        for (Map.Entry<String, PersonCampaign> e : standing.entries()) {
            PersonCampaign pc = e.getValue();
            String id = e.getKey();
            rows.output(ROWS, CampaignRows.row(pc.control ? CampaignRows.CONTROL : CampaignRows.TREATMENT, city,
                    pc.participant, id, pc.segment, pc.assignedAt, zone, -1));
            if (pc.openedAt != null) rows.output(ROWS, CampaignRows.row(CampaignRows.OPENED, city, pc.participant, id,
                    pc.segment, pc.openedAt, zone, -1));
            if (pc.redeemedAt != null) rows.output(ROWS, CampaignRows.row(CampaignRows.REDEEMED, city, pc.participant, id,
                    pc.segment, pc.redeemedAt, zone, -1));
            if (pc.convertedAt != null) rows.output(ROWS, CampaignRows.converted(city, pc.participant,
                    id, pc.segment, pc.convertedAt, zone, -1, pc.control));
            if (pc.heldAt != null) rows.output(ROWS, CampaignRows.row(CampaignRows.HELD_WEEKLY_CAP, city,
                    pc.participant, id, pc.segment, pc.heldAt, zone, -1));
            if (pc.offered) out.collect(withdrawal(city, id, pseudonym, true, now));
        }
        standing.clear();
        profile.clear();
        contact.clear();
        week.clear();
    }

    private static CampaignStep offer(Campaign c, byte[] campaignBytes, String pseudonym, String resident,
                                      List<String> reasons, Segment segment, long now) {
        CampaignStep s = new CampaignStep();
        s.kind = CampaignStep.Kind.OFFER;
        s.city = c.getCity();
        s.campaignId = c.getCampaignId();
        s.pseudonym = pseudonym;
        s.resident = resident;
        s.reasons = reasons.toArray(new String[0]);
        s.segment = segment;
        s.campaign = campaignBytes;
        s.at = now;
        return s;
    }

    private static CampaignStep withdrawal(String city, String campaignId, String pseudonym, boolean erased, long now) {
        CampaignStep s = new CampaignStep();
        s.kind = CampaignStep.Kind.WITHDRAW;
        s.city = city;
        s.campaignId = campaignId;
        s.pseudonym = pseudonym;
        s.erased = erased;
        s.at = now;
        return s;
    }

    private Campaign campaign(String key, byte[] bytes) {
        Decoded d = decoded.get(key);
        if (d == null || d.bytes != bytes) {
            d = new Decoded(bytes, Topics.CAMPAIGNS.codec().decode(bytes));
            decoded.put(key, d);
        }
        return d.campaign;
    }

    private ZoneId zone(String city) {
        // rows of a city without configuration (none reach here: profiles exist only for configured cities) in UTC
        return cities.city(city).map(CityConfig::zone).orElse(java.time.ZoneOffset.UTC);
    }

    private record Decoded(byte[] bytes, Campaign campaign) {}

    /** Where rows go: the side output of either context. */
    @FunctionalInterface
    private interface Rows {
        void output(OutputTag<ContributionDelta> tag, ContributionDelta row);
    }
}
