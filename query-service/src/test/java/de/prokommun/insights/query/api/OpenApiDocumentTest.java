package de.prokommun.insights.query.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.query.audience.AudienceFilter;
import de.prokommun.insights.query.audience.AudienceService;
import de.prokommun.insights.query.audience.Breakdown;
import de.prokommun.insights.query.insights.InsightsService;
import de.prokommun.insights.query.journey.JourneyService;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document describes exactly the routes the verticle has, and the request's vocabulary. */
class OpenApiDocumentTest {

    private Vertx vertx;
    private JsonNode doc;

    @BeforeEach
    void load() throws Exception {
        vertx = Vertx.vertx();
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/openapi.yaml")) {
            doc = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void documentsEveryRouteAndNothingElse() {
        // No request is served here, so the handlers' dependencies are not needed.
        QueryVerticle verticle = new QueryVerticle(new ParticipantDirectory(Map.of()),
                new AudienceService(null, null, null, null, "profiles", 50),
                new InsightsService(null, null, null, null, null, null, null, "profiles", "contributions", 50),
                new JourneyService(null, null, null, null, null, null, null, null, "profiles", "contributions", 50),
                new QueryVerticle.Listen("127.0.0.1", 0, 1024), Clock.systemUTC(), () -> { })
                .auditingRefusals(ctx -> ctx.next(), ctx -> ctx.next()) // as QueryServer deploys it (issue 15)
                .withCampaigns(new de.prokommun.insights.query.campaign.CampaignService(
                        de.prokommun.insights.query.campaign.CampaignBook.complete(),
                        c -> java.util.concurrent.CompletableFuture.completedFuture(null), null, null, 50,
                        Clock.systemUTC())); // as QueryServer deploys it with Kafka (issue 18)
        vertx.deployVerticle(verticle).await();
        Set<String> routes = new TreeSet<>();
        for (Route r : verticle.router().getRoutes()) {
            // Routes for every method are the web UI's static files and error handlers, not API operations.
            if (r.getPath() == null || r.methods() == null) continue;
            String path = r.getPath().replaceAll(":([A-Za-z]+)", "{$1}");
            r.methods().forEach(m -> routes.add(m.name().toLowerCase() + " " + path));
        }
        Set<String> documented = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(path ->
                path.getValue().fieldNames().forEachRemaining(method -> documented.add(method + " " + path.getKey())));
        assertThat(documented).isEqualTo(routes);
        assertThat(doc.path("openapi").asText()).startsWith("3.");
    }

    @Test
    void requestSchemaListsExactlyTheAcceptedFieldsAndBreakdowns() {
        JsonNode schemas = doc.path("components").path("schemas");
        List<String> breakdowns = new ArrayList<>();
        schemas.path("AudienceQuestion").path("properties").path("breakdown").path("enum")
                .forEach(n -> breakdowns.add(n.asText()));
        assertThat(breakdowns).containsExactlyElementsOf(Breakdown.apiNames());
        Set<String> filterFields = new TreeSet<>();
        schemas.path("Filter").path("properties").fieldNames().forEachRemaining(filterFields::add);
        Set<String> recordFields = new TreeSet<>();
        for (var c : AudienceFilter.class.getRecordComponents()) recordFields.add(c.getName());
        assertThat(filterFields).isEqualTo(recordFields);
        assertThat(schemas.path("Filter").path("properties").path("ageTo").path("maximum").asInt())
                .isEqualTo(AudienceFilter.MAX_AGE);
    }
}
