package de.prokommun.insights.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** A service's OpenAPI document (read once from its classpath) and its liveness answer. */
public final class StaticResources {

    private final Buffer openApi;

    /** @param openApiResource the document's classpath resource, e.g. "/openapi.yaml" */
    public StaticResources(String openApiResource) {
        try (InputStream in = StaticResources.class.getResourceAsStream(openApiResource)) {
            if (in == null) throw new IllegalStateException(openApiResource + " missing from the classpath");
            openApi = Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void openApi(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8").end(openApi);
    }

    /** The liveness answer of every service (ingestion has no OpenAPI file, hence static). */
    public static void health(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", ApiError.JSON).end("{\"status\":\"UP\"}");
    }
}
