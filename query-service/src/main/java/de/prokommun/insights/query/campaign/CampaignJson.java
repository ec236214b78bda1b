package de.prokommun.insights.query.campaign;

import de.prokommun.insights.events.Campaign;
import de.prokommun.insights.events.CampaignAudience;
import de.prokommun.insights.events.CampaignOffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** A campaign as its participant sees it: what it asked for, never who received it. */
final class CampaignJson {
    private CampaignJson() {}

    static JsonObject of(Campaign c) {
        return new JsonObject()
                .put("campaignId", c.getCampaignId())
                .put("participant", c.getParticipant())
                .put("status", c.getStatus().name())
                .put("channel", c.getChannel().name())
                .put("audience", audience(c.getAudience()))
                .put("offer", offer(c.getOffer()))
                .put("recipientCap", c.getRecipientCap())
                .put("controlPerMille", c.getControlPerMille())
                .put("createdAt", Instant.ofEpochMilli(c.getCreatedAt()).toString())
                .put("updatedAt", Instant.ofEpochMilli(c.getUpdatedAt()).toString());
    }

    private static JsonObject audience(CampaignAudience a) {
        JsonObject out = new JsonObject();
        if (a.getAgeFrom() != null) out.put("ageFrom", a.getAgeFrom());
        if (a.getAgeTo() != null) out.put("ageTo", a.getAgeTo());
        list(out, "genders", a.getGenders());
        list(out, "personas", a.getPersonas());
        list(out, "interests", a.getInterests());
        list(out, "districts", a.getDistricts());
        list(out, "householdTypes", a.getHouseholdTypes());
        if (a.getBoughtCategory() != null) {
            out.put("boughtCategory", new JsonObject().put("category", a.getBoughtCategory()).put("year", a.getBoughtYear()));
        }
        if (a.getOwnCustomers()) out.put("ownCustomers", true);
        if (a.getActiveWithinDays() != null) out.put("activeWithinDays", a.getActiveWithinDays());
        return out;
    }

    private static void list(JsonObject out, String name, List<String> values) {
        if (!values.isEmpty()) out.put(name, new JsonArray(List.copyOf(values)));
    }

    private static JsonObject offer(CampaignOffer o) {
        return new JsonObject()
                .put("title", o.getTitle())
                .put("text", o.getText())
                .put("validFrom", Instant.ofEpochMilli(o.getValidFrom()).toString())
                .put("validUntil", Instant.ofEpochMilli(o.getValidUntil()).toString())
                .put("code", o.getCode())
                .put("category", o.getCategory());
    }
}
