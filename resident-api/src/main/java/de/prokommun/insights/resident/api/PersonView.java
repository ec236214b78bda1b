package de.prokommun.insights.resident.api;

import de.prokommun.insights.city.Category;
import de.prokommun.insights.city.City;
import de.prokommun.insights.city.Label;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.resident.auth.Resident;
import de.prokommun.insights.resident.changes.ObjectionScope;
import de.prokommun.insights.resident.data.AuditTrail.Recipient;
import de.prokommun.insights.resident.personas.PersonaExplainer.Explanation;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Everything the system holds about one person, as the JSON of GET /api/v1/me and the JSON export. */
final class PersonView {
    private PersonView() {}

    static final String RECIPIENTS_NOTE_DE = "Diese Teilnehmer haben in Ihrer Stadt seit Ihrer Registrierung zusammengefasste"
            + " Zahlen (nie Einzeldaten) erhalten, in die Sie eingeflossen sein könnten. Welche Antwort Sie tatsächlich"
            + " enthielt, wird bewusst nicht gespeichert; die Liste ist daher eine Obermenge.";
    static final String RECIPIENTS_NOTE_EN = "These participants received aggregate figures (never individual data) in your"
            + " city since you registered that could have included you. Which answer actually included you is"
            + " deliberately not stored, so this list is a superset.";

    record Person(Resident resident, ProfileRow profile, List<Explanation> personas, List<PersonRecord> records,
                  List<Recipient> recipients, Names names) {}

    /**
     * The display names of the ids in one person's data, from the city's files (issue 16: the privacy centre shows
     * no raw id): categories (taxonomy.json, German and English), participants (participants-catalogue.json; a
     * participant the catalogue does not list is {@link Label#OUTSIDE_CATALOGUE}, never its id) and the profile's
     * interests (city.json "interests"); also the participants and categories the person's standing objections name. A category or interest the files do not name is left out; the page then
     * shows it as stored (an interest the resident declared freely is their own word).
     */
    record Names(Map<String, Label> categories, Map<String, Label> participants, Map<String, Label> interests) {
        static final Names NONE = new Names(Map.of(), Map.of(), Map.of());

        /** The names of the categories, participants and interests that occur in the profile, records and recipients. */
        static Names of(City city, ProfileRow profile, List<PersonRecord> records, List<Recipient> recipients) {
            if (city == null) return NONE;
            Map<String, Label> usedInterests = new TreeMap<>();
            if (profile != null) {
                for (String id : profile.getInterests()) {
                    Label name = city.interestNames().get(id);
                    if (name != null) usedInterests.put(id, name);
                }
            }
            Map<String, Category> categories = city.categoriesById();
            Map<String, Label> usedCategories = new TreeMap<>();
            Map<String, Label> usedParticipants = new TreeMap<>();
            java.util.function.Consumer<String> category = id -> {
                Category c = categories.get(id);
                if (c != null) usedCategories.put(id, c.name());
            };
            java.util.function.Consumer<String> participant = id -> {
                if (id != null) usedParticipants.computeIfAbsent(id, city::participantLabel);
            };
            for (PersonRecord r : records) {
                r.getCategories().forEach(category);
                participant.accept(r.getParticipant());
            }
            for (Recipient r : recipients) {
                r.categories().forEach(category);
                participant.accept(r.asker());
            }
            // a standing objection names a participant or category the person's data may not hold (the privacy
            // centre lists the objection by that name)
            if (profile != null) {
                for (String scope : profile.getOfferObjections()) {
                    if (scope.startsWith(ObjectionScope.PARTICIPANT)) participant.accept(scope.substring(ObjectionScope.PARTICIPANT.length()));
                    if (scope.startsWith(ObjectionScope.CATEGORY)) category.accept(scope.substring(ObjectionScope.CATEGORY.length()));
                }
            }
            return new Names(usedCategories, usedParticipants, usedInterests);
        }
    }

    static JsonObject json(Person p) {
        JsonObject out = new JsonObject()
                .put("resident", p.resident().reference())
                .put("city", p.resident().city())
                .put("profile", p.profile() == null ? null : profile(p.profile()))
                .put("personas", personas(p.personas()))
                .put("consents", consents(p.profile()))
                .put("objections", objections(p.profile()))
                .put("records", records(p.records()))
                .put("recipients", recipients(p.recipients()))
                .put("labels", labels(p.names()));
        return out;
    }

    private static JsonObject profile(ProfileRow r) {
        return new JsonObject()
                .put("birthYear", r.getBirthYear())
                .put("age", r.getAge())
                .put("ageBand", r.getAgeBand())
                .put("gender", r.getGender())
                .put("district", r.getDistrict())
                .put("householdType", r.getHouseholdType())
                .put("interests", new JsonArray(List.copyOf(r.getInterests())))
                .put("personas", new JsonArray(List.copyOf(r.getPersonas())))
                .put("purchaseTags", new JsonArray(List.copyOf(r.getPurchaseTags())))
                .put("registered", day(r.getRegisteredDay()))
                .put("lastActivity", day(r.getLastActivityDay()))
                .put("lastPurchase", day(r.getLastPurchaseDay()))
                .put("updatedAt", Instant.ofEpochMilli(r.getUpdatedAt()).toString());
    }

    private static String day(Integer epochDay) {
        return epochDay == null ? null : LocalDate.ofEpochDay(epochDay).toString();
    }

    private static JsonArray personas(List<Explanation> explanations) {
        JsonArray out = new JsonArray();
        for (Explanation e : explanations) {
            JsonArray reasons = new JsonArray();
            e.reasons().forEach(r -> reasons.add(new JsonObject().put("condition", r.condition()).put("holds", r.holds())
                    .put("de", r.de()).put("en", r.en())));
            out.add(new JsonObject().put("persona", e.persona()).put("label", label(e.label())).put("reasons", reasons));
        }
        return out;
    }

    private static JsonObject label(Label l) {
        return l == null ? null : new JsonObject().put("de", l.de()).put("en", l.en());
    }

    private static JsonObject labels(Names names) {
        JsonObject categories = new JsonObject();
        names.categories().forEach((id, l) -> categories.put(id, label(l)));
        JsonObject participants = new JsonObject();
        names.participants().forEach((id, l) -> participants.put(id, label(l)));
        JsonObject interests = new JsonObject();
        names.interests().forEach((id, l) -> interests.put(id, label(l)));
        return new JsonObject().put("categories", categories).put("participants", participants).put("interests", interests);
    }

    /** Without analytics consent nothing is profiled, so a live profile means the consent is given. */
    private static JsonObject consents(ProfileRow r) {
        return new JsonObject()
                .put("analytics", r != null)
                .put("offers", r != null && r.getConsentOffers())
                .put("newsletter", r != null && r.getConsentNewsletter());
    }

    /** The standing objections to offers (DSGVO Art. 21) as the profile job keeps them: all, participant:, category:. */
    private static JsonArray objections(ProfileRow r) {
        return r == null ? new JsonArray() : new JsonArray(List.copyOf(r.getOfferObjections()));
    }

    static JsonArray records(List<PersonRecord> records) {
        JsonArray out = new JsonArray();
        for (PersonRecord r : records) {
            out.add(new JsonObject()
                    .put("recordId", r.getRecordId())
                    .put("kind", r.getKind())
                    .put("participant", r.getParticipant())
                    .put("eventTime", Instant.ofEpochMilli(r.getEventTime()).toString())
                    .put("receipt", r.getReceipt())
                    .put("amountCents", r.getAmountCents())
                    .put("quantity", r.getQuantity())
                    .put("categories", new JsonArray(List.copyOf(r.getCategories())))
                    .put("details", details(r.getDetails())));
        }
        return out;
    }

    static Object details(String json) {
        try {
            return json == null || json.isBlank() ? new JsonObject() : new JsonObject(json);
        } catch (DecodeException e) {
            return json; // shown as stored rather than hidden
        }
    }

    private static JsonObject recipients(List<Recipient> recipients) {
        JsonArray askers = new JsonArray();
        for (Recipient r : recipients) {
            askers.add(new JsonObject()
                    .put("participant", r.asker())
                    .put("role", r.role())
                    .put("questionKinds", new JsonArray(List.copyOf(r.kinds())))
                    .put("filtersUsed", new JsonArray(List.copyOf(r.about())))
                    .put("categories", new JsonArray(List.copyOf(r.categories())))
                    .put("firstAnswer", r.firstAnswer().toString())
                    .put("lastAnswer", r.lastAnswer().toString()));
        }
        return new JsonObject().put("scope", "could-have-included-you")
                .put("note", new JsonObject().put("de", RECIPIENTS_NOTE_DE).put("en", RECIPIENTS_NOTE_EN))
                .put("askers", askers);
    }
}
