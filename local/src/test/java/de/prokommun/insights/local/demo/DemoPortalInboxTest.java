package de.prokommun.insights.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.CampaignChannel;
import de.prokommun.insights.events.CampaignDelivery;
import de.prokommun.insights.events.CampaignOffer;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo portal's inbox over real HTTP: a resident sees the offers addressed to them, a withdrawal removes one,
 * another resident's or another city's offers never show, and opening one reports it before showing it. (The report to
 * a real ingestion and the opened figure it produces: CampaignEndToEndIT.)
 */
class DemoPortalInboxTest {
    private static final String ME = "R-0000012";
    private static final String OTHER = "R-0000014";
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newHttpClient();
    private final PortalInbox inbox = new PortalInbox("musterstadt", List.of(ME, OTHER));
    private final List<String> reported = new ArrayList<>();
    private int ingestionStatus = 202;
    private String base;

    @BeforeEach
    void start() throws Exception {
        PortalTokens tokens = new PortalTokens(vertx, "a-local-resident-jwt-key-of-32-bytes-or-more", "musterstadt",
                "prokommun-portal", Duration.ofHours(1), Clock.systemUTC());
        OpenedReport report = (resident, campaign) -> {
            reported.add(resident + " opened " + campaign);
            return CompletableFuture.completedFuture(ingestionStatus);
        };
        DemoPortalVerticle portal = new DemoPortalVerticle(tokens, List.of(ME, OTHER), inbox, report,
                "http://127.0.0.1:4711", "127.0.0.1", 0);
        vertx.deployVerticle(portal).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + portal.actualPort();
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theResidentSeesTheOffersAddressedToThemAndAWithdrawalRemovesOne() throws Exception {
        inbox.accept(delivery("musterstadt", "c-1", ME, "Frühstück für zwei", false, 1_000));
        inbox.accept(delivery("musterstadt", "c-2", ME, "Grillwoche", false, 2_000));
        inbox.accept(delivery("musterstadt", "c-3", OTHER, "Nur für die Nachbarin", false, 3_000));
        inbox.accept(delivery("anderstadt", "c-4", ME, "Aus einer anderen Stadt", false, 4_000));
        String page = get("/postfach/" + ME).body();
        assertThat(page).contains("Postfach von " + ME, "Grillwoche", "Frühstück für zwei", "Öffnen")
                .doesNotContain("Nur für die Nachbarin", "Aus einer anderen Stadt");
        assertThat(page.indexOf("Grillwoche")).as("newest first").isLessThan(page.indexOf("Frühstück"));
        assertThat(get("/postfach/" + ME + "?lang=en").body()).contains("Inbox of " + ME, "Open");

        inbox.accept(delivery("musterstadt", "c-2", ME, "Grillwoche", true, 5_000));
        assertThat(get("/postfach/" + ME).body()).doesNotContain("Grillwoche").contains("Frühstück für zwei");
        assertThat(post("/postfach/" + ME + "/c-2").statusCode()).as("a withdrawn offer cannot be opened").isEqualTo(404);
        assertThat(get("/postfach/R-0000099").statusCode()).isEqualTo(404);
        assertThat(reported).isEmpty();
    }

    @Test
    void openingAnOfferReportsItThenShowsTextAndCode() throws Exception {
        inbox.accept(delivery("musterstadt", "c-1", ME, "Frühstück für zwei", false, 1_000));
        HttpResponse<String> opened = post("/postfach/" + ME + "/c-1");
        assertThat(opened.statusCode()).isEqualTo(200);
        assertThat(opened.body()).contains("Zwei Brötchen gratis", "BROT", "Weil: interest:sport");
        assertThat(reported).containsExactly(ME + " opened c-1");

        assertThat(post("/postfach/" + OTHER + "/c-1").statusCode()).as("not in the other resident's inbox").isEqualTo(404);
        ingestionStatus = 503;
        assertThat(post("/postfach/" + ME + "/c-1").statusCode()).as("ingestion refused: not shown as opened").isEqualTo(502);
    }

    private static CampaignDelivery delivery(String city, String campaign, String resident, String title, boolean withdrawn,
                                             long at) {
        return CampaignDelivery.newBuilder().setCity(city).setCampaignId(campaign).setParticipant("baeckerei-schmidt")
                .setResident(resident).setChannel(CampaignChannel.PORTAL_INBOX).setReasons(List.of("interest:sport"))
                .setOffer(CampaignOffer.newBuilder().setTitle(title).setText("Zwei Brötchen gratis").setCode("BROT")
                        .setValidFrom(0L).setValidUntil(at + 86_400_000L).build())
                .setDeliveredAt(at).setWithdrawn(withdrawn).build();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
