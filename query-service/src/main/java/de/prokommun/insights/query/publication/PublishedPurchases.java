package de.prokommun.insights.query.publication;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The latest purchase statistics of each city, in memory: what insights answers are summed from. */
public final class PublishedPurchases {

    private final Map<String, PurchasePublication> latest = new ConcurrentHashMap<>();

    public Optional<PurchasePublication> latest(String city) {
        return Optional.ofNullable(latest.get(city));
    }

    void hold(PurchasePublication publication) {
        latest.put(publication.city(), publication);
    }
}
