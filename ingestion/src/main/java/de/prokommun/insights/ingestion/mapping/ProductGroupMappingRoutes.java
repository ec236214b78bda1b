package de.prokommun.insights.ingestion.mapping;

import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.ingestion.IngestionConfig;
import de.prokommun.insights.ingestion.RejectionReason;
import de.prokommun.insights.ingestion.api.Refusals;
import de.prokommun.insights.ingestion.api.ApiKeyAuthHandler;
import de.prokommun.insights.participants.Participant;
import de.prokommun.insights.participants.ParticipantDirectory;
import de.prokommun.insights.participants.Role;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The product-group mapping API (issue 5): each participant maps its own product groups onto the city's
 * category taxonomy, as JSON or CSV. Every row is validated first; an upload with any bad row is applied not
 * at all (400 naming row, field and reason). A valid upload becomes one {@link ProductGroupMapping} per row on
 * the compacted mappings topic, answered 200 only after Kafka acknowledged every row. Participant keys only:
 * the portal and operators have no product groups of their own (403).
 */
public final class ProductGroupMappingRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ProductGroupMappingRoutes.class);

    public static final String MAPPING_PATH = "/api/v1/product-groups/mapping";
    public static final String MAPPING_CSV_PATH = "/api/v1/product-groups/mapping.csv";
    public static final String TAXONOMY_PATH = "/api/v1/product-groups/taxonomy";
    static final String JSON = "application/json; charset=utf-8";

    private final Taxonomies taxonomies;
    private final MappingPublisher publisher;
    private final ParticipantDirectory directory;
    private final Refusals errors;
    private final Clock clock;
    private final long maxBodyBytes;
    private final Duration retryAfter;

    /**
     * Routes with their own Kafka producer (created on the first upload). Call from the verticle's
     * {@code start()}: the producer is closed when the verticle is undeployed.
     */
    public ProductGroupMappingRoutes(Vertx vertx, Settings settings, ParticipantDirectory directory, Refusals errors,
                                     Clock clock) {
        this(new Taxonomies(Path.of(settings.get(CommonConfig.CITIES_DIR))), new KafkaMappingPublisher(vertx, settings),
                directory, errors, clock, settings.get(IngestionConfig.MAX_BODY_BYTES), settings.get(IngestionConfig.RETRY_AFTER));
        // the verticle's stop() knows nothing of this producer; its context closes it on undeploy
        ((ContextInternal) vertx.getOrCreateContext()).addCloseHook(done -> publisher.close().onComplete(done));
    }

    public ProductGroupMappingRoutes(Taxonomies taxonomies, MappingPublisher publisher, ParticipantDirectory directory,
                                     Refusals errors, Clock clock, long maxBodyBytes, Duration retryAfter) {
        this.taxonomies = taxonomies;
        this.publisher = publisher;
        this.directory = directory;
        this.errors = errors;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
        this.retryAfter = retryAfter;
    }

    /**
     * The three routes. Checks in order: body size (413), API key (401, operator 403), participant role (403),
     * content type (415), rows (400), Kafka (200/503).
     */
    public void mount(Router router) {
        Handler<RoutingContext> auth = new ApiKeyAuthHandler(directory, errors);
        router.put(MAPPING_PATH).handler(body()).handler(auth).handler(this::participantOnly)
                .handler(requireMediaType("application/json")).handler(this::putJson);
        router.post(MAPPING_CSV_PATH).handler(body()).handler(auth).handler(this::participantOnly)
                .handler(requireMediaType("text/csv")).handler(this::postCsv);
        router.get(TAXONOMY_PATH).handler(auth).handler(this::participantOnly).handler(this::taxonomy);
    }

    private BodyHandler body() {
        return BodyHandler.create(false).setBodyLimit(maxBodyBytes);
    }

    private void participantOnly(RoutingContext ctx) {
        Participant sender = ApiKeyAuthHandler.sender(ctx);
        if (sender.role() != Role.PARTICIPANT) {
            errors.reject(ctx, RejectionReason.FORBIDDEN, "only participant keys have product groups to map; this key's role is "
                    + sender.role().name().toLowerCase(Locale.ROOT));
            return;
        }
        ctx.next();
    }

    private Handler<RoutingContext> requireMediaType(String expected) {
        return ctx -> {
            String contentType = ctx.request().getHeader("Content-Type");
            String[] parts = contentType == null ? new String[] {""} : contentType.split(";");
            String charset = charsetOf(parts);
            if (!parts[0].trim().equalsIgnoreCase(expected) || (charset != null && !charset.equalsIgnoreCase("utf-8"))) {
                ctx.response().putHeader("Accept", expected + "; charset=utf-8");
                errors.reject(ctx, RejectionReason.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be " + expected
                        + " (UTF-8) but is " + (contentType == null ? "missing" : "'" + contentType + "'"));
                return;
            }
            ctx.next();
        };
    }

    private static String charsetOf(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) return p.substring(8).replace("\"", "").trim();
        }
        return null;
    }

    private void putJson(RoutingContext ctx) {
        MappingUpload upload;
        try {
            // strict UTF-8 first (StrictText): Jackson alone reads an overlong C0 AF as '/'
            de.prokommun.insights.validation.StrictText.decodeUtf8(bytes(ctx));
        } catch (de.prokommun.insights.validation.StrictText.MalformedUtf8 e) {
            errors.reject(ctx, RejectionReason.MALFORMED_JSON, e.getMessage(), 0, new JsonObject().put("applied", 0));
            return;
        }
        try {
            upload = MappingJson.parse(bytes(ctx));
        } catch (MappingJson.Malformed e) {
            errors.reject(ctx, RejectionReason.MALFORMED_JSON, e.getMessage(), 0, new JsonObject().put("applied", 0));
            return;
        }
        apply(ctx, upload, false);
    }

    private void postCsv(RoutingContext ctx) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes(ctx))).toString();
        } catch (CharacterCodingException e) {
            reject(ctx, List.of(new RowError(0, 0, "(body)", "is not valid UTF-8; save the CSV as UTF-8")), 0);
            return;
        }
        MappingUpload upload = MappingCsv.parse(text);
        if (upload.errors().isEmpty() && upload.rows().isEmpty()) {
            reject(ctx, List.of(new RowError(0, 0, "(body)", "holds a header but no mapping rows")), 0);
            return;
        }
        apply(ctx, upload, true);
    }

    private static byte[] bytes(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        return body == null ? new byte[0] : body.getBytes();
    }

    private void apply(RoutingContext ctx, MappingUpload upload, boolean csv) {
        Participant sender = ApiKeyAuthHandler.sender(ctx);
        Taxonomy taxonomy = taxonomyOrFail(ctx, sender);
        if (taxonomy == null) return;
        List<RowError> problems = new ArrayList<>(upload.errors());
        problems.addAll(new MappingValidator(taxonomy).validate(upload.rows(), csv));
        int rows = upload.rows().size() + (int) upload.errors().stream().filter(e -> e.row() > 0).count();
        if (!problems.isEmpty()) {
            reject(ctx, problems, rows);
            return;
        }
        long now = clock.millis();
        List<ProductGroupMapping> mappings = upload.rows().stream().map(r -> ProductGroupMapping.newBuilder()
                .setCity(sender.city()).setParticipant(sender.id()).setProductGroup(r.productGroup())
                .setCategory(r.category()).setUpdatedAt(now).build()).toList();
        publisher.publish(mappings).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("Kafka did not take {} mappings of {}: {}", mappings.size(), sender.id(), ar.cause().getMessage());
                ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, retryAfter.toSeconds())));
                errors.reject(ctx, RejectionReason.KAFKA_UNAVAILABLE, "the mapping store did not acknowledge the upload in"
                        + " time; send the same upload again later (it replaces what may have been stored)",
                        mappings.size(), new JsonObject().put("applied", 0));
                return;
            }
            long removed = mappings.stream().filter(m -> m.getCategory() == null).count();
            ctx.response().setStatusCode(200).putHeader("Content-Type", JSON).end(new JsonObject()
                    .put("city", sender.city()).put("participant", sender.id()).put("rows", mappings.size())
                    .put("mapped", mappings.size() - removed).put("removed", removed).put("applied", mappings.size()).encode());
        });
    }

    private void reject(RoutingContext ctx, List<RowError> problems, int rows) {
        JsonArray list = new JsonArray();
        problems.forEach(p -> list.add(p.toJson()));
        long badRows = problems.stream().filter(p -> p.row() > 0).map(RowError::row).distinct().count();
        String message = badRows > 0
                ? badRows + " of " + rows + (rows == 1 ? " row is" : " rows are") + " invalid; nothing was applied"
                : problems.get(0).field() + " " + problems.get(0).reason() + "; nothing was applied";
        errors.reject(ctx, RejectionReason.INVALID_MAPPINGS, message, rows,
                new JsonObject().put("applied", 0).put("problems", list));
    }

    private void taxonomy(RoutingContext ctx) {
        Participant sender = ApiKeyAuthHandler.sender(ctx);
        Taxonomy taxonomy = taxonomyOrFail(ctx, sender);
        if (taxonomy == null) return;
        ctx.response().putHeader("Content-Type", JSON).end(taxonomy.toJson(sender.city()).encode());
    }

    private Taxonomy taxonomyOrFail(RoutingContext ctx, Participant sender) {
        try {
            return taxonomies.forCity(sender.city());
        } catch (Taxonomies.Unavailable e) {
            LOG.error("Product-group mapping unavailable: {}", e.getMessage());
            errors.reject(ctx, RejectionReason.INTERNAL_ERROR, "the city's category taxonomy is not configured;"
                    + " tell the operator (nothing was applied)");
            return null;
        }
    }
}
