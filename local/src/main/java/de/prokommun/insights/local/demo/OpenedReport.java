package de.prokommun.insights.local.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Reports that a resident opened an offer: the event {@code campaign.opened} to ingestion with the portal's own API
 * key (only the portal may send it, docs/EVENTS.md). The future holds ingestion's HTTP status.
 */
public interface OpenedReport {
    CompletableFuture<Integer> opened(String resident, String campaignId);

    /** Over HTTP to ingestion's {@code POST /api/v1/events}. */
    static OpenedReport toIngestion(String ingestionUrl, String portalApiKey, Clock clock) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ObjectMapper json = new ObjectMapper();
        return (resident, campaignId) -> {
            ObjectNode event = json.createObjectNode();
            // a fresh id each time: opening again is a new event; the opened figure counts a resident once anyway
            event.put("eventId", "demo-portal-opened-" + UUID.randomUUID());
            event.put("type", "campaign.opened");
            event.put("eventTime", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
            event.put("resident", resident);
            event.putObject("data").put("campaignId", campaignId);
            HttpRequest request = HttpRequest.newBuilder(URI.create(ingestionUrl + "/api/v1/events"))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + portalApiKey)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.createArrayNode().add(event).toString())).build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
        };
    }
}
