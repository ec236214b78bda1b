package de.prokommun.insights.query.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.events.Campaign;
import de.prokommun.insights.http.RequestFailure;
import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.query.audience.AudienceService;
import de.prokommun.insights.query.audience.CityCatalog;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class CampaignServiceTest {

    private static final Asker BAKERY = new Asker("musterstadt", "baeckerei-schmidt", AskerRole.PARTICIPANT);
    private static final Asker BUTCHER = new Asker("musterstadt", "metzgerei-meier", AskerRole.PARTICIPANT);
    private static final Asker OPERATOR = new Asker("musterstadt", "stadtmarketing", AskerRole.OPERATOR);
    private static final String BODY = "{\"audience\": {\"ageFrom\": 25}, \"channel\": \"PORTAL_INBOX\", \"offer\":"
            + " {\"title\": \"Brötchen-Woche\", \"text\": \"Jedes dritte gratis\", \"validFrom\": \"2026-12-07T00:00:00Z\","
            + " \"validUntil\": \"2026-12-14T00:00:00Z\"}}";

    private final List<Campaign> written = new ArrayList<>();
    private final CampaignBook book = CampaignBook.complete();
    private final CampaignService service = new CampaignService(book, new CampaignWriter() {
        @Override
        public CompletionStage<Void> write(Campaign campaign) {
            written.add(campaign);
            return CompletableFuture.completedFuture(null);
        }
    }, new AudienceService(new CityCatalog(Path.of("..", "cities")), null, null, null, "profiles", 20), null, 20,
            Clock.fixed(Instant.parse("2026-12-05T12:00:00Z"), ZoneOffset.UTC));

    private JsonObject create(Asker asker) {
        return service.create(asker, BODY).toCompletableFuture().join();
    }

    @Test
    void aCreatedCampaignRunsBelongsToTheKeysOwnerAndIsWrittenBeforeItIsShown() {
        JsonObject c = create(BAKERY);
        assertThat(c.getString("status")).isEqualTo("RUNNING");
        assertThat(c.getString("participant")).isEqualTo("baeckerei-schmidt");
        assertThat(written).singleElement().satisfies(w -> {
            assertThat(w.getCampaignId()).isEqualTo(c.getString("campaignId"));
            assertThat(w.getCity()).isEqualTo("musterstadt");
        });
        assertThat(service.get(BAKERY, c.getString("campaignId"))).isEqualTo(c);
    }

    @Test
    void resultsBySegmentTakeOnlyADisjointDimensionNamingTheFieldAndOnlyOwnCampaigns() {
        String id = create(BAKERY).getString("campaignId");
        for (String by : List.of("persona", "income", "")) {
            assertThatThrownBy(() -> service.results(BAKERY, id, by)).as(by)
                    .isInstanceOf(de.prokommun.insights.query.audience.InvalidRequestException.class)
                    .satisfies(e -> assertThat(((de.prokommun.insights.query.audience.InvalidRequestException) e)
                            .problems()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("by")));
        }
        assertThat(status(() -> service.results(BUTCHER, id, "ageBand"))).as("another's campaign").isEqualTo(404);
        assertThat(status(() -> service.operatorWeeklyCap(BAKERY))).as("the operator's view").isEqualTo(403);
    }

    @Test
    void anotherParticipantsCampaignIsNotFoundAndNotListed() {
        String id = create(BAKERY).getString("campaignId");
        create(BUTCHER);
        assertThatThrownBy(() -> service.get(BUTCHER, id)).isInstanceOf(RequestFailure.class)
                .satisfies(e -> assertThat(((RequestFailure) e).error().status()).isEqualTo(404));
        assertThatThrownBy(() -> service.change(BUTCHER, id, CampaignService.Action.END))
                .satisfies(e -> assertThat(((RequestFailure) e).error().status()).isEqualTo(404));
        assertThat(service.list(BUTCHER).getJsonArray("campaigns")).hasSize(1)
                .noneMatch(c -> ((JsonObject) c).getString("campaignId").equals(id));
    }

    @Test
    void pauseResumeAndEndFollowTheStatusAndAnIllegalStepIs409() {
        String id = create(BAKERY).getString("campaignId");
        assertThat(change(id, CampaignService.Action.PAUSE).getString("status")).isEqualTo("PAUSED");
        assertThat(status(() -> change(id, CampaignService.Action.PAUSE))).isEqualTo(409);
        assertThat(change(id, CampaignService.Action.RESUME).getString("status")).isEqualTo("RUNNING");
        assertThat(status(() -> change(id, CampaignService.Action.RESUME))).isEqualTo(409);
        assertThat(change(id, CampaignService.Action.END).getString("status")).isEqualTo("ENDED");
        assertThat(status(() -> change(id, CampaignService.Action.RESUME))).isEqualTo(409);
        assertThat(status(() -> change(id, CampaignService.Action.END))).isEqualTo(409);
        // each change is a newer record of the same campaign, so the compacted topic keeps the last
        assertThat(written).hasSize(4).extracting(Campaign::getUpdatedAt).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void theOperatorSeesCountsOnlyAndRunsNoCampaign() {
        String id = create(BAKERY).getString("campaignId");
        create(BUTCHER);
        change(id, CampaignService.Action.PAUSE);
        JsonObject counts = service.operatorCounts(OPERATOR);
        assertThat(counts.getInteger("campaigns")).isEqualTo(2);
        assertThat(counts.getJsonObject("byStatus").getInteger("PAUSED")).isEqualTo(1);
        assertThat(counts.getJsonObject("byStatus").getInteger("RUNNING")).isEqualTo(1);
        assertThat(counts.getLong("participants")).isEqualTo(2);
        assertThat(counts.encode()).doesNotContain(id).doesNotContain("Brötchen");
        assertThat(status(() -> service.operatorCounts(BAKERY))).isEqualTo(403);
        assertThat(status(() -> create(OPERATOR))).isEqualTo(403);
    }

    @Test
    void beforeTheFeedHasReadTheTopicTheRoutesAnswer503NotNotFound() {
        CampaignService loading = new CampaignService(new CampaignBook(), c -> CompletableFuture.completedFuture(null),
                null, null, 20, Clock.systemUTC());
        assertThat(status(() -> loading.get(BAKERY, "c-1"))).isEqualTo(503);
    }

    private JsonObject change(String id, CampaignService.Action action) {
        return service.change(BAKERY, id, action).toCompletableFuture().join();
    }

    private static int status(Runnable call) {
        try {
            call.run();
        } catch (RequestFailure e) {
            return e.error().status();
        }
        throw new AssertionError("expected a refusal");
    }

    @Test
    void aCampaignIsSentAgainWhenItsValidityBeginsAndEndedWhenItEnds() {
        Campaign created = written(create(BAKERY));
        assertThat(service.keepOnSchedule()).as("before its validity nothing is due").isEmpty();
        long from = Instant.parse("2026-12-07T00:00:00Z").toEpochMilli(), until = Instant.parse("2026-12-14T00:00:00Z").toEpochMilli();

        Campaign started = CampaignService.dueOnSchedule(created, from + 1_000);
        assertThat(started.getStatus().name()).isEqualTo("RUNNING");
        assertThat(started.getUpdatedAt()).as("newer: the campaign job evaluates every resident again").isEqualTo(from + 1_000);
        assertThat(CampaignService.dueOnSchedule(started, from + 60_000)).as("once").isNull();

        Campaign ended = CampaignService.dueOnSchedule(started, until);
        assertThat(ended.getStatus().name()).isEqualTo("ENDED");
        assertThat(CampaignService.dueOnSchedule(ended, until + 60_000)).isNull();
        Campaign paused = Campaign.newBuilder(created).setStatus(de.prokommun.insights.events.CampaignStatus.PAUSED).build();
        assertThat(CampaignService.dueOnSchedule(paused, from + 1_000)).as("a paused one does not start").isNull();
        assertThat(CampaignService.dueOnSchedule(paused, until).getStatus().name()).as("but it ends").isEqualTo("ENDED");
    }

    private Campaign written(JsonObject shown) {
        return written.stream().filter(w -> w.getCampaignId().equals(shown.getString("campaignId"))).findFirst().orElseThrow();
    }
}
