package de.prokommun.insights.importer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The ingestion API as the importer uses it: event batches and the mapping CSV, each with a participant's key. */
public final class IngestionClient {

    /** An HTTP answer; {@code retryAfterSeconds} from the Retry-After header, else -1. */
    public record Answer(int status, String body, long retryAfterSeconds) {}

    static final String EVENTS_PATH = "/api/v1/events";
    static final String MAPPING_CSV_PATH = "/api/v1/product-groups/mapping.csv";

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    public IngestionClient(URI base) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    public Answer postEvents(String apiKey, byte[] jsonArray) throws IOException, InterruptedException {
        return post(EVENTS_PATH, apiKey, "application/json", jsonArray);
    }

    public Answer postMappingCsv(String apiKey, byte[] csv) throws IOException, InterruptedException {
        return post(MAPPING_CSV_PATH, apiKey, "text/csv; charset=utf-8", csv);
    }

    private Answer post(String path, String apiKey, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long retryAfter = response.headers().firstValue("Retry-After").map(v -> {
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                return -1L;
            }
        }).orElse(-1L);
        return new Answer(response.statusCode(), response.body(), retryAfter);
    }
}
