package de.prokommun.insights.query.campaign;

import de.prokommun.insights.events.Campaign;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The city's campaigns as this instance knows them: the newest record of each (topic campaigns is compacted, the
 * newest record is the state), from the {@link CampaignFeed} and from this instance's own writes once Kafka holds
 * them. A record older than the one kept (an instance's own write read back from the topic) changes nothing.
 */
public final class CampaignBook {

    private final Map<String, Campaign> byKey = new ConcurrentHashMap<>();
    private volatile boolean caughtUp;

    /** The topic's key of a campaign: city/campaignId. */
    public static String key(String city, String campaignId) {
        return city + "/" + campaignId;
    }

    public void put(Campaign campaign) {
        byKey.merge(key(campaign.getCity(), campaign.getCampaignId()), campaign,
                (kept, fresh) -> fresh.getUpdatedAt() >= kept.getUpdatedAt() ? fresh : kept);
    }

    public Optional<Campaign> get(String city, String campaignId) {
        return Optional.ofNullable(byKey.get(key(city, campaignId)));
    }

    /** The city's campaigns, newest first; of one participant when {@code participant} is set. */
    public List<Campaign> list(String city, String participant) {
        return byKey.values().stream()
                .filter(c -> c.getCity().equals(city) && (participant == null || c.getParticipant().equals(participant)))
                .sorted(Comparator.comparingLong(Campaign::getCreatedAt).reversed()
                        .thenComparing(Campaign::getCampaignId))
                .toList();
    }

    /** Every city's campaigns. */
    public List<Campaign> all() {
        return List.copyOf(byKey.values());
    }

    /** The feed has read the topic up to its end as it was at start: the book holds every campaign written before. */
    public boolean caughtUp() {
        return caughtUp;
    }

    void caughtUp(boolean value) {
        caughtUp = value;
    }

    /** For a service without Kafka (tests of the HTTP layer): nothing to read, the book is complete as it is. */
    public static CampaignBook complete() {
        CampaignBook book = new CampaignBook();
        book.caughtUp(true);
        return book;
    }
}
