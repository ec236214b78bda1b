package de.prokommun.insights.query.campaign;

import de.prokommun.insights.events.Campaign;
import de.prokommun.insights.events.CampaignStatus;
import de.prokommun.insights.http.ApiError;
import de.prokommun.insights.http.RequestFailure;
import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.query.audience.AudienceAnswer;
import de.prokommun.insights.query.audience.AudienceService;
import de.prokommun.insights.query.audience.Breakdown;
import de.prokommun.insights.query.audience.InvalidRequestException;
import de.prokommun.insights.query.insights.InsightAnswer;
import de.prokommun.insights.query.insights.InsightsService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * A participant's campaigns (docs/CAMPAIGNS.md): create, list, show, pause, resume, end. The participant is always
 * the API key's owner; another participant's campaign is answered 404, as if it did not exist. A change is written to
 * topic campaigns and answered once Kafka holds it; the campaign job reads the same topic. Campaigns hold no personal
 * data, so they are shown as they are; figures about them (reach, results) go through the privacy layer elsewhere.
 */
public final class CampaignService {

    /** What a participant may do to a running, paused or ended campaign. */
    public enum Action {
        PAUSE, RESUME, END;

        CampaignStatus from(CampaignStatus now) {
            return switch (this) {
                case PAUSE -> now == CampaignStatus.RUNNING ? CampaignStatus.PAUSED : null;
                case RESUME -> now == CampaignStatus.PAUSED ? CampaignStatus.RUNNING : null;
                case END -> now == CampaignStatus.ENDED ? null : CampaignStatus.ENDED;
            };
        }
    }

    private final CampaignBook book;
    private final CampaignWriter writer;
    private final AudienceService audiences;
    private final InsightsService insights;
    private final int maxValuesPerDimension;
    private final Clock clock;

    public CampaignService(CampaignBook book, CampaignWriter writer, AudienceService audiences, InsightsService insights,
                           int maxValuesPerDimension, Clock clock) {
        this.book = book;
        this.writer = writer;
        this.audiences = audiences;
        this.insights = insights;
        this.maxValuesPerDimension = maxValuesPerDimension;
        this.clock = clock;
    }

    private CampaignRequestParser parser(Asker asker) {
        return new CampaignRequestParser(audiences.vocabulary(asker), maxValuesPerDimension);
    }

    /**
     * The reach of an audience before a campaign starts: a released count of the residents who match, consent to
     * offers and hold no objection to the asker or the offer's category (blocking: reads Pinot, pays from the budget).
     */
    public AudienceAnswer reach(Asker asker, String body) {
        participantOnly(asker);
        CampaignRequestParser.ReachRequest r = parser(asker).reach(asker, body);
        return audiences.reach(asker, r.audience(), r.offerCategory());
    }

    /** The asker's campaign's results through the privacy layer (blocking: reads Pinot, pays from the budget). */
    public InsightAnswer results(Asker asker, String campaignId) {
        own(asker, campaignId);
        return insights.campaignResults(asker, campaignId);
    }

    /**
     * The results broken down by one segment dimension ({@code by}: ageBand, gender, district, householdType —
     * the disjoint ones; personas overlap and are refused), through the privacy layer.
     */
    public InsightAnswer results(Asker asker, String campaignId, String by) {
        if (by == null) return results(asker, campaignId);
        own(asker, campaignId);
        Breakdown b = Breakdown.byApiName(by).filter(Breakdown::cellsDisjoint).orElseThrow(() ->
                new InvalidRequestException("by", "must be one of ageBand, gender, district, householdType"));
        return insights.campaignResultsBySegment(asker, campaignId, b);
    }

    /** Validates and writes a new running campaign of the asker; completes with its JSON once Kafka holds it. */
    public CompletionStage<JsonObject> create(Asker asker, String body) {
        participantOnly(asker);
        CampaignRequestParser.CampaignRequest r = parser(asker).campaign(asker, body, clock.instant());
        long now = clock.millis();
        Campaign campaign = Campaign.newBuilder().setCity(asker.city())
                .setCampaignId("c-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
                .setParticipant(asker.id()).setAudience(r.audience()).setOffer(r.offer()).setChannel(r.channel())
                .setRecipientCap(r.recipientCap()).setControlPerMille(r.controlPerMille())
                .setStatus(CampaignStatus.RUNNING).setCreatedAt(now).setUpdatedAt(now).build();
        return written(campaign);
    }

    public JsonObject list(Asker asker) {
        participantOnly(asker);
        JsonArray out = new JsonArray();
        book.list(asker.city(), asker.id()).forEach(c -> out.add(CampaignJson.of(c)));
        return new JsonObject().put("campaigns", out);
    }

    public JsonObject get(Asker asker, String campaignId) {
        return CampaignJson.of(own(asker, campaignId));
    }

    /** 409 when the campaign's status does not allow the action (an ended campaign stays ended). */
    public CompletionStage<JsonObject> change(Asker asker, String campaignId, Action action) {
        Campaign c = own(asker, campaignId);
        CampaignStatus next = action.from(c.getStatus());
        if (next == null) {
            throw new RequestFailure(ApiError.of(409, "illegal_transition", "the campaign is " + c.getStatus()
                    + "; it cannot " + action.name().toLowerCase() + " (allowed: pause a RUNNING one, resume a PAUSED"
                    + " one, end one that is not ENDED)").with("campaignStatus", c.getStatus().name()));
        }
        return written(Campaign.newBuilder(c).setStatus(next).setUpdatedAt(Math.max(clock.millis(), c.getUpdatedAt() + 1))
                .build());
    }

    /** The asker's campaign; another participant's or an unknown id is 404 alike (no probing of ids). */
    public Campaign own(Asker asker, String campaignId) {
        participantOnly(asker);
        return book.get(asker.city(), campaignId).filter(c -> c.getParticipant().equals(asker.id()))
                .orElseThrow(() -> new RequestFailure(ApiError.of(404, "not_found", "you have no campaign with this id")));
    }

    /** The operator's view: every campaign of the city as counts (by status, channel, participants), nothing else. */
    public JsonObject operatorCounts(Asker asker) {
        operatorOnly(asker);
        List<Campaign> all = book.list(asker.city(), null);
        Map<CampaignStatus, Integer> byStatus = new EnumMap<>(CampaignStatus.class);
        for (CampaignStatus s : CampaignStatus.values()) byStatus.put(s, 0);
        Map<String, Integer> byChannel = new TreeMap<>();
        all.forEach(c -> {
            byStatus.merge(c.getStatus(), 1, Integer::sum);
            byChannel.merge(c.getChannel().name(), 1, Integer::sum);
        });
        JsonObject status = new JsonObject();
        byStatus.forEach((s, n) -> status.put(s.name(), n));
        return new JsonObject().put("city", asker.city()).put("campaigns", all.size()).put("byStatus", status)
                .put("byChannel", new JsonObject(new TreeMap<>(byChannel)))
                .put("participants", all.stream().map(Campaign::getParticipant).distinct().count());
    }

    /**
     * The weekly frequency cap's effect for the operator, through the privacy layer (blocking: reads Pinot, pays from
     * the operator's budget): the campaigns not ended, whose figures can still change; an ended campaign's stay in
     * its participant's results.
     */
    public InsightAnswer operatorWeeklyCap(Asker asker) {
        operatorOnly(asker);
        List<String> ids = book.list(asker.city(), null).stream().filter(c -> c.getStatus() != CampaignStatus.ENDED)
                .map(Campaign::getCampaignId).sorted().toList();
        return insights.weeklyCapEffect(asker, ids);
    }

    /**
     * The campaigns' own clock, run every few seconds ({@link CampaignSchedule}): one whose validity ended is written
     * ENDED (the campaign job withdraws its offers), one whose validity began since it was last written is written
     * again (the campaign job evaluates every resident against a campaign it receives) — the job has no timers, so
     * without this a campaign set to start next Monday reached no one until a resident's profile changed. Every
     * instance may do it; a second write of the same state changes nothing.
     */
    public List<CompletionStage<JsonObject>> keepOnSchedule() {
        if (!book.caughtUp()) return List.of();
        long now = clock.millis();
        List<CompletionStage<JsonObject>> writes = new java.util.ArrayList<>();
        for (Campaign c : book.all()) {
            Campaign due = dueOnSchedule(c, now);
            if (due != null) writes.add(written(due));
        }
        return writes;
    }

    /** The record a campaign needs now, or null: ENDED after its validity, re-sent once its validity has begun. */
    static Campaign dueOnSchedule(Campaign c, long now) {
        long updated = Math.max(now, c.getUpdatedAt() + 1);
        if (c.getStatus() != CampaignStatus.ENDED && now >= c.getOffer().getValidUntil()) {
            return Campaign.newBuilder(c).setStatus(CampaignStatus.ENDED).setUpdatedAt(updated).build();
        }
        if (c.getStatus() == CampaignStatus.RUNNING && c.getUpdatedAt() < c.getOffer().getValidFrom()
                && now >= c.getOffer().getValidFrom()) {
            return Campaign.newBuilder(c).setUpdatedAt(updated).build();
        }
        return null;
    }

    private CompletionStage<JsonObject> written(Campaign campaign) {
        return writer.write(campaign).thenApply(v -> {
            book.put(campaign);
            return CampaignJson.of(campaign);
        });
    }

    private void operatorOnly(Asker asker) {
        ready();
        if (asker.role() != AskerRole.OPERATOR) {
            throw new RequestFailure(ApiError.of(403, "operator_only", "this view is the city operator's"));
        }
    }

    private void participantOnly(Asker asker) {
        ready();
        if (asker.role() != AskerRole.PARTICIPANT) {
            throw new RequestFailure(ApiError.of(403, "participant_only", "campaigns are run by participants;"
                    + " the operator sees them at GET /api/v1/operator/campaigns"));
        }
    }

    private void ready() {
        if (!book.caughtUp()) {
            throw new RequestFailure(ApiError.of(503, "campaigns_loading", "the campaigns are still being read;"
                    + " try again in a few seconds"));
        }
    }
}
