package de.prokommun.insights.resident.api;

import de.prokommun.insights.city.Category;
import de.prokommun.insights.city.City;
import de.prokommun.insights.city.Label;
import de.prokommun.insights.city.Persona;
import de.prokommun.insights.events.PersonRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * GET /api/v1/me/campaigns: the offers that reached the resident (person records of kind {@code campaign.delivered},
 * written by the campaign job), from whom and why ("weil: Alter 25–49, Interesse Sport"). A withdrawn delivery's
 * record is deleted and so no longer listed.
 */
final class CampaignsView {
    private CampaignsView() {}

    static final String KIND = "campaign.delivered";

    static JsonObject json(List<PersonRecord> records, City city) {
        JsonArray out = new JsonArray();
        for (PersonRecord r : records) {
            if (!KIND.equals(r.getKind())) continue;
            JsonObject details = PersonView.details(r.getDetails()) instanceof JsonObject d ? d : new JsonObject();
            List<String> reasons = strings(details.getValue("reasons"));
            List<Label> why = reasons.stream().map(reason -> reason(reason, city)).toList();
            Label from = city == null ? Label.OUTSIDE_CATALOGUE : city.participantLabel(r.getParticipant());
            out.add(new JsonObject()
                    .put("campaign", details.getString("campaign", details.getString("campaignId")))
                    .put("participant", r.getParticipant())
                    .put("from", new JsonObject().put("de", from.de()).put("en", from.en()))
                    .put("title", details.getString("title"))
                    .put("deliveredAt", Instant.ofEpochMilli(r.getEventTime()).toString())
                    .put("reasons", new JsonArray(new ArrayList<>(reasons)))
                    .put("why", new JsonObject()
                            .put("de", why.isEmpty() ? "" : "weil: " + String.join(", ", why.stream().map(Label::de).toList()))
                            .put("en", why.isEmpty() ? "" : "because: " + String.join(", ", why.stream().map(Label::en).toList()))));
        }
        return new JsonObject().put("campaigns", out);
    }

    /** One audience field the resident matched ("field:value") in words; an unknown form is shown as stored. */
    static Label reason(String reason, City city) {
        int colon = reason.indexOf(':');
        if (colon < 0) return new Label(reason, reason);
        String field = reason.substring(0, colon);
        String value = reason.substring(colon + 1);
        return switch (field) {
            case "ageBand", "age" -> new Label("Alter " + value.replace('-', '–'), "age " + value.replace('-', '–'));
            case "interest" -> {
                Label name = city == null ? null : city.interestNames().get(value);
                yield new Label("Interesse " + (name == null ? value : name.de()), "interest " + (name == null ? value : name.en()));
            }
            case "persona" -> {
                Label name = city == null ? null : city.persona(value).map(Persona::label).orElse(null);
                yield new Label("Persona " + (name == null ? value : name.de()), "persona " + (name == null ? value : name.en()));
            }
            case "district" -> new Label("Stadtteil " + value, "district " + value);
            case "gender" -> new Label("Geschlecht " + value, "gender " + value);
            case "householdType" -> new Label("Haushalt " + value, "household " + value);
            case "customer" -> {
                Label name = city == null ? Label.OUTSIDE_CATALOGUE : city.participantLabel(value);
                yield new Label("Kundin oder Kunde bei " + name.de(), "customer of " + name.en());
            }
            case "boughtCategory", "category" -> {
                String id = value.contains(":") ? value.substring(0, value.indexOf(':')) : value;
                Category c = city == null ? null : city.categoriesById().get(id);
                yield new Label("gekauft: " + (c == null ? id : c.name().de()), "bought: " + (c == null ? id : c.name().en()));
            }
            case "activeWithinDays" -> new Label("zuletzt eingekauft vor höchstens " + value + " Tagen",
                    "last purchase at most " + value + " days ago");
            default -> new Label(reason, reason);
        };
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof JsonArray a) {
            for (Object o : a) if (o instanceof String s) out.add(s);
        }
        return out;
    }
}
