package de.prokommun.insights.query.web;

import java.util.Optional;

/** The widgets that can be kept live, and the query API call that answers each (GET has no body). */
enum LiveWidget {
    AUDIENCE_SIZE("audience-size", "POST", "/api/v1/audiences/size"),
    AFFINITY("affinity", "POST", "/api/v1/insights/affinity"),
    PRODUCT_HISTORY("product-history", "POST", "/api/v1/insights/product-history"),
    ASSORTMENT_CHECK("assortment-check", "POST", "/api/v1/insights/assortment-check"),
    TREND("trend", "POST", "/api/v1/insights/trend"),
    CUSTOMERS("customers", "POST", "/api/v1/insights/customers"),
    BUDGET("budget", "GET", "/api/v1/privacy/budget");

    final String pathName;
    final String method;
    final String apiPath;

    LiveWidget(String pathName, String method, String apiPath) {
        this.pathName = pathName;
        this.method = method;
        this.apiPath = apiPath;
    }

    static Optional<LiveWidget> of(String pathName) {
        for (LiveWidget w : values()) if (w.pathName.equals(pathName)) return Optional.of(w);
        return Optional.empty();
    }
}
