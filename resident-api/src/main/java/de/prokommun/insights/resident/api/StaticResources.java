package de.prokommun.insights.resident.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The OpenAPI document (read once from the classpath) and the health answer. */
final class StaticResources {

    static final String OPENAPI = "/resident-openapi.yaml";
    private final Buffer openApi;

    StaticResources() {
        try (InputStream in = StaticResources.class.getResourceAsStream(OPENAPI)) {
            if (in == null) throw new IllegalStateException(OPENAPI + " missing from the classpath");
            openApi = Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void openApi(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8").end(openApi);
    }

    void health(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end("{\"status\":\"UP\"}");
    }
}
