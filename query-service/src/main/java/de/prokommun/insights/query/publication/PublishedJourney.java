package de.prokommun.insights.query.publication;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The latest journey and voucher release of each city, in memory: what published journey answers read. */
public final class PublishedJourney {

    private final Map<String, JourneyPublication> latest = new ConcurrentHashMap<>();

    public Optional<JourneyPublication> latest(String city) {
        return Optional.ofNullable(latest.get(city));
    }

    void hold(JourneyPublication publication) {
        latest.put(publication.city(), publication);
    }
}
