package de.prokommun.insights.local.demo;

import de.prokommun.insights.events.CampaignDelivery;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo portal's inbox: the offers the campaign job addressed to the portal's own residents (topic portal-outbox),
 * per resident and campaign; a withdrawal removes the offer. Only the listed residents' offers are kept: the demo
 * portal signs in nobody else.
 */
public final class PortalInbox {
    private final String city;
    private final Set<String> residents;
    private final Map<String, Map<String, CampaignDelivery>> offers = new ConcurrentHashMap<>();

    public PortalInbox(String city, List<String> residents) {
        this.city = city;
        this.residents = Set.copyOf(residents);
    }

    /** One record of the outbox, in topic order: the newest record of a resident and campaign is its state. */
    public void accept(CampaignDelivery d) {
        if (!city.equals(d.getCity()) || !residents.contains(d.getResident())) return;
        Map<String, CampaignDelivery> own = offers.computeIfAbsent(d.getResident(), r -> new ConcurrentHashMap<>());
        if (d.getWithdrawn()) own.remove(d.getCampaignId());
        else own.put(d.getCampaignId(), d);
    }

    /** The resident's standing offers, newest first. */
    public List<CampaignDelivery> offers(String resident) {
        return offers.getOrDefault(resident, Map.of()).values().stream()
                .sorted(Comparator.comparingLong(CampaignDelivery::getDeliveredAt).reversed()
                        .thenComparing(CampaignDelivery::getCampaignId)).toList();
    }

    public Optional<CampaignDelivery> offer(String resident, String campaignId) {
        return Optional.ofNullable(offers.getOrDefault(resident, Map.of()).get(campaignId));
    }

    /** Residents with at least one offer and how many (for the log). */
    Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        offers.forEach((r, o) -> { if (!o.isEmpty()) out.put(r, o.size()); });
        return out;
    }
}
