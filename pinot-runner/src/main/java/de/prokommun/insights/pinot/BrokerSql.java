package de.prokommun.insights.pinot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * SQL at this cluster's broker for the runner's own housekeeping ({@link UpsertPurge}). A result with an exception or
 * from fewer servers than queried is an error, never a partial answer: the purge deletes segments on what it reads.
 */
final class BrokerSql {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // Pinot's REST server stalls on the HTTP/2 upgrade
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI queryUri;

    BrokerSql(String host, int port) {
        this.queryUri = URI.create("http://" + host + ":" + port + "/query/sql");
    }

    /** The rows of {@code sql}; {@code queryOptions} as Pinot 0.11 takes them ("skipUpsert=true"), or null. */
    JsonNode rows(String sql, String queryOptions) {
        ObjectNode body = JSON.createObjectNode().put("sql", sql);
        if (queryOptions != null) body.put("queryOptions", queryOptions);
        HttpRequest request = HttpRequest.newBuilder(queryUri)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("broker answered HTTP " + response.statusCode() + " to '" + sql + "'");
            }
            JsonNode answer = JSON.readTree(response.body());
            if (answer.path("exceptions").size() > 0) {
                throw new IllegalStateException("broker failed on '" + sql + "': " + answer.path("exceptions"));
            }
            if (answer.path("numServersQueried").asInt() != answer.path("numServersResponded").asInt()) {
                throw new IllegalStateException("broker answered '" + sql + "' from fewer servers than it queried");
            }
            // no result table = no server could be routed to (a segment in transition): never read as "no rows", since
            // the purge deletes a segment once it counts none served from it
            if (!answer.path("resultTable").path("rows").isArray() || answer.path("numServersQueried").asInt() == 0) {
                throw new IllegalStateException("broker answered '" + sql + "' without a result from a server");
            }
            return answer.path("resultTable").path("rows");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the broker at " + queryUri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during '" + sql + "'", e);
        }
    }

    /** A string literal for Pinot SQL. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
