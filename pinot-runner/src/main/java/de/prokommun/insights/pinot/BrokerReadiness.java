package de.prokommun.insights.pinot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until the broker answers a query on every table without an exception: routing is built and every
 * segment is served. Only then does the runner report itself ready.
 */
final class BrokerReadiness {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerReadiness.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // Pinot's REST server stalls on the HTTP/2 upgrade
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI queryUri;

    BrokerReadiness(String host, int port) {
        this.queryUri = URI.create("http://" + host + ":" + port + "/query/sql");
    }

    void await(Collection<String> tables, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        for (String table : tables) {
            String problem;
            while ((problem = problem(table)) != null) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("broker does not answer on table '" + table + "' within "
                            + timeout + ": " + problem);
                }
                Thread.sleep(250);
            }
            LOG.info("Broker answers on table {}", table);
        }
    }

    /** Null when a count on the table succeeds, else why not. */
    private String problem(String table) {
        String body = JSON.createObjectNode().put("sql", "SELECT COUNT(*) FROM " + table).toString();
        HttpRequest request = HttpRequest.newBuilder(queryUri)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) return "HTTP " + response.statusCode();
            JsonNode answer = JSON.readTree(response.body());
            if (answer.path("exceptions").size() > 0) return answer.path("exceptions").toString();
            if (!answer.has("resultTable")) return "no result table";
            if (answer.path("numServersQueried").asInt() != answer.path("numServersResponded").asInt()) {
                return "not every server responded";
            }
            return null;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
