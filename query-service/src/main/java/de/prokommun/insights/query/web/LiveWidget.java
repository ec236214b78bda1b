package de.prokommun.insights.query.web;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The widgets that can be kept live, and the query API call that answers each (GET has no body). A widget whose
 * route has a path parameter takes it from its question (the campaign results of {@code {"campaignId": …}}).
 */
enum LiveWidget {
    AUDIENCE_SIZE("audience-size", "POST", "/api/v1/audiences/size", null),
    AFFINITY("affinity", "POST", "/api/v1/insights/affinity", null),
    PRODUCT_HISTORY("product-history", "POST", "/api/v1/insights/product-history", null),
    ASSORTMENT_CHECK("assortment-check", "POST", "/api/v1/insights/assortment-check", null),
    TREND("trend", "POST", "/api/v1/insights/trend", null),
    CUSTOMERS("customers", "POST", "/api/v1/insights/customers", null),
    BUDGET("budget", "GET", "/api/v1/privacy/budget", null),
    CAMPAIGN_RESULTS("campaign-results", "GET", "/api/v1/campaigns/{campaignId}/results", "campaignId");

    /** A path parameter's value: an id as the APIs hand them out, never a path of its own. */
    private static final Pattern PATH_VALUE = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    final String pathName;
    final String method;
    final String apiPath;
    /** The question's member that fills the route's one path parameter; null for routes without one. */
    final String pathParameter;

    LiveWidget(String pathName, String method, String apiPath, String pathParameter) {
        this.pathName = pathName;
        this.method = method;
        this.apiPath = apiPath;
        this.pathParameter = pathParameter;
    }

    static Optional<LiveWidget> of(String pathName) {
        for (LiveWidget w : values()) if (w.pathName.equals(pathName)) return Optional.of(w);
        return Optional.empty();
    }

    static String known() {
        StringBuilder b = new StringBuilder();
        for (LiveWidget w : values()) b.append(b.length() == 0 ? "" : ", ").append(w.pathName);
        return b.toString();
    }

    /** Why the question cannot fill the route's path parameter (null when it can or the route has none). */
    String pathProblem(JsonObject question) {
        if (pathParameter == null) return null;
        Object v = question.getValue(pathParameter);
        if (v instanceof String s && PATH_VALUE.matcher(s).matches()) return null;
        return "must be an id of letters, digits, '-' or '_' (1 to 80), got " + (v == null ? "nothing" : "'" + v + "'");
    }

    /** The API path to ask, the path parameter filled from a question that passed {@link #pathProblem}. */
    String path(JsonObject question) {
        if (pathParameter == null) return apiPath;
        String value = URLEncoder.encode(question.getString(pathParameter), StandardCharsets.UTF_8);
        return apiPath.replace("{" + pathParameter + "}", value);
    }
}
