package de.prokommun.insights.resident.changes;

import de.prokommun.insights.city.City;
import de.prokommun.insights.city.Participant;
import de.prokommun.insights.http.Problem;
import de.prokommun.insights.validation.StrictText;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * What a resident objects to (DSGVO Art. 21(2)-(3), docs/CAMPAIGNS.md): {@code all} offers, those of one
 * participant ({@code participant:<id>}) or those about one category ({@code category:<id>}). Only a participant of
 * the city's catalogue, one that sent the resident an offer (a registered participant outside the catalogue may run
 * campaigns too, and the right to object to it is absolute), or a category of the city's taxonomy can be named: an
 * objection to a misspelt id would protect nobody, so it is refused (400 naming {@code scope}) rather than recorded.
 */
public final class ObjectionScope {
    private ObjectionScope() {}

    public static final String ALL = "all";
    public static final String PARTICIPANT = "participant:";
    public static final String CATEGORY = "category:";
    static final int MAX_LENGTH = 200;

    /** The body of POST /api/v1/me/objections: {"scope": "..."} and nothing else. */
    public static String ofBody(JsonObject body, Optional<City> city, java.util.Set<String> offerSenders) {
        for (String name : body.fieldNames()) {
            if (!name.equals("scope")) {
                throw invalid(name.length() > 64 ? name.substring(0, 64) + "..." : name,
                        "is not a known field; allowed: scope");
            }
        }
        Object raw = body.getValue("scope");
        if (raw == null) throw invalid("scope", "is required: all, participant:<id> or category:<id>");
        if (!(raw instanceof String s)) throw invalid("scope", "must be a string: all, participant:<id> or category:<id>");
        return of(s, city, offerSenders);
    }

    /** A scope as named in a path or body, checked against the city's participants, the senders and categories. */
    public static String of(String raw, Optional<City> city, java.util.Set<String> offerSenders) {
        if (raw == null || raw.isBlank()) throw invalid("scope", "is required: all, participant:<id> or category:<id>");
        StrictText.Checked checked = StrictText.check(raw, StrictText.Kind.IDENTIFIER);
        if (!checked.ok()) throw invalid("scope", checked.problem());
        String scope = checked.value();
        if (scope.length() > MAX_LENGTH) throw invalid("scope", "must have at most " + MAX_LENGTH + " characters");
        if (scope.equals(ALL)) return scope;
        if (scope.startsWith(PARTICIPANT)) {
            String id = scope.substring(PARTICIPANT.length());
            boolean known = offerSenders.contains(id)
                    || city.map(c -> c.participants().stream().map(Participant::id).anyMatch(id::equals)).orElse(false);
            if (!known) throw invalid("scope", "names no participant of your city: '" + shortened(id) + "'");
            return scope;
        }
        if (scope.startsWith(CATEGORY)) {
            String id = scope.substring(CATEGORY.length());
            boolean known = city.map(c -> c.categoriesById().containsKey(id)).orElse(false);
            if (!known) throw invalid("scope", "names no category of your city's taxonomy: '" + shortened(id) + "'");
            return scope;
        }
        throw invalid("scope", "must be all, participant:<id> or category:<id> but is '" + shortened(scope) + "'");
    }

    private static InvalidRequestException invalid(String field, String reason) {
        return new InvalidRequestException(List.of(new Problem(field, reason)));
    }

    private static String shortened(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7e\\u00a0-\\u017f]", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }
}
