package de.prokommun.insights.simulator.city;

import com.fasterxml.jackson.databind.JsonNode;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.simulator.population.Persona;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the residents of a synthetic city behave (behaviour.json): which interests they declare, which categories
 * each persona prefers, which clubs they join, when in the day shops are visited. Read only by the simulator; these
 * are invented parameters of the synthetic data, kept in the city's files so that the simulator knows no city's
 * vocabulary (interest ids, category ids, kinds of participant) itself.
 */
public final class Behaviour {

    /** One rule for the probability of declaring an interest; null bounds and flags are no condition. */
    public record InterestRule(Integer ageFrom, Integer ageTo, Boolean male, Boolean parent, double p) {
        boolean holds(int age, boolean isMale, HouseholdType household) {
            boolean isParent = household == HouseholdType.FAMILY || household == HouseholdType.SINGLE_PARENT;
            return (ageFrom == null || age >= ageFrom) && (ageTo == null || age <= ageTo)
                    && (male == null || male == isMale) && (parent == null || parent == isParent);
        }
    }

    /** With {@code interest}, a registering resident joins a club of {@code kind} with probability {@code rate}. */
    public record ClubRule(String interest, String kind, double rate) {}

    private static final String FILE = "behaviour.json";
    private static final Set<String> TOP_FIELDS = Set.of("comment", "defaultInterest", "interests", "preferences",
            "interestBoost", "interestCategories", "clubs", "trainingCategory", "timeOfDay");

    private final double defaultInterest;
    private final Map<String, List<InterestRule>> interests;
    private final Map<Persona, Map<String, Double>> preferences;
    private final double interestBoost;
    private final Map<String, List<String>> interestCategories;
    private final List<ClubRule> clubs;
    private final String trainingCategory;
    private final Set<String> eveningSectors, eveningKinds, morningKinds, anyTimeSectors;

    private Behaviour(JsonNode root) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!TOP_FIELDS.contains(f)) throw new IllegalArgumentException(FILE + ": unknown field '" + f + "' (known: " + TOP_FIELDS + ")");
        }
        defaultInterest = probability(root, "defaultInterest", "defaultInterest");
        Map<String, List<InterestRule>> rules = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : fields(required(root, "interests", "interests"))) {
            List<InterestRule> list = new ArrayList<>();
            int i = 0;
            for (JsonNode r : e.getValue()) {
                String where = "interests." + e.getKey() + "[" + i++ + "]";
                String sex = r.hasNonNull("sex") ? r.get("sex").asText() : null;
                if (sex != null && !sex.equals("male") && !sex.equals("female")) {
                    throw new IllegalArgumentException(FILE + ": " + where + ".sex must be 'male' or 'female', got '" + sex + "'");
                }
                list.add(new InterestRule(intOrNull(r, "ageFrom"), intOrNull(r, "ageTo"), sex == null ? null : sex.equals("male"),
                        r.hasNonNull("parent") ? r.get("parent").asBoolean() : null, probability(r, "p", where + ".p")));
            }
            rules.put(e.getKey(), List.copyOf(list));
        }
        interests = Map.copyOf(rules);

        Map<Persona, Map<String, Double>> prefs = new EnumMap<>(Persona.class);
        JsonNode p = required(root, "preferences", "preferences");
        for (Persona persona : Persona.values()) {
            Map<String, Double> weights = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : fields(p.path(persona.name()))) {
                if (!e.getValue().isNumber() || e.getValue().asDouble() < 0) {
                    throw new IllegalArgumentException(FILE + ": preferences." + persona + "." + e.getKey() + " must be a number ≥ 0");
                }
                weights.put(e.getKey(), e.getValue().asDouble());
            }
            prefs.put(persona, Map.copyOf(weights));
        }
        for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            try {
                Persona.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(FILE + ": preferences." + name + " is not a simulator persona (known: "
                        + List.of(Persona.values()) + ")");
            }
        }
        preferences = prefs;
        interestBoost = required(root, "interestBoost", "interestBoost").asDouble();
        Map<String, List<String>> ic = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : fields(required(root, "interestCategories", "interestCategories"))) {
            List<String> ids = new ArrayList<>();
            e.getValue().forEach(v -> ids.add(v.asText()));
            ic.put(e.getKey(), List.copyOf(ids));
        }
        interestCategories = Map.copyOf(ic);
        List<ClubRule> cl = new ArrayList<>();
        int i = 0;
        for (JsonNode c : required(root, "clubs", "clubs")) {
            String where = "clubs[" + i++ + "]";
            cl.add(new ClubRule(CityFiles.text(c, "interest", FILE), CityFiles.text(c, "kind", FILE), probability(c, "rate", where + ".rate")));
        }
        clubs = List.copyOf(cl);
        trainingCategory = CityFiles.text(root, "trainingCategory", FILE);
        JsonNode tod = required(root, "timeOfDay", "timeOfDay");
        eveningSectors = texts(tod.path("evening").path("sectors"));
        eveningKinds = texts(tod.path("evening").path("kinds"));
        morningKinds = texts(tod.path("morning").path("kinds"));
        anyTimeSectors = texts(tod.path("anyTime").path("sectors"));
    }

    public static Behaviour load(CityFiles files) {
        return new Behaviour(files.read(FILE));
    }

    /**
     * Checks every name against the city's other files, so a typo fails at load and not as a silently neutral
     * weight: interests of population.json, categories of taxonomy.json, kinds of participants-catalogue.json.
     */
    public Behaviour checkedAgainst(List<String> interestIds, Taxonomy taxonomy, Set<String> kinds) {
        for (String id : interests.keySet()) requireInterest(interestIds, id, "interests." + id);
        for (Map.Entry<Persona, Map<String, Double>> e : preferences.entrySet()) {
            for (String c : e.getValue().keySet()) requireCategory(taxonomy, c, "preferences." + e.getKey() + "." + c);
        }
        for (Map.Entry<String, List<String>> e : interestCategories.entrySet()) {
            requireInterest(interestIds, e.getKey(), "interestCategories." + e.getKey());
            for (String c : e.getValue()) requireCategory(taxonomy, c, "interestCategories." + e.getKey());
        }
        for (ClubRule c : clubs) {
            requireInterest(interestIds, c.interest(), "clubs[].interest");
            if (!kinds.contains(c.kind())) {
                throw new IllegalArgumentException(FILE + ": clubs[].kind '" + c.kind() + "' is not a kind of participants-catalogue.json");
            }
        }
        requireCategory(taxonomy, trainingCategory, "trainingCategory");
        for (String k : eveningKinds) if (!kinds.contains(k)) throw new IllegalArgumentException(FILE + ": timeOfDay.evening.kinds: unknown kind '" + k + "'");
        for (String k : morningKinds) if (!kinds.contains(k)) throw new IllegalArgumentException(FILE + ": timeOfDay.morning.kinds: unknown kind '" + k + "'");
        return this;
    }

    /** Probability that a resident of this age, sex and household declares the interest. */
    public double interestLikelihood(String interest, int age, boolean male, HouseholdType household) {
        for (InterestRule r : interests.getOrDefault(interest, List.of())) if (r.holds(age, male, household)) return r.p();
        return defaultInterest;
    }

    /** The persona's weight of a category id (top level or leaf); 1 when the file does not name it. */
    public double preference(Persona persona, String categoryId) {
        return preferences.get(persona).getOrDefault(categoryId, 1.0);
    }

    public double interestBoost() { return interestBoost; }

    /** The categories (top level or leaf) an interest boosts; none for an interest the file does not name. */
    public List<String> interestCategories(String interest) {
        return interestCategories.getOrDefault(interest, List.of());
    }

    public List<ClubRule> clubs() { return clubs; }
    public String trainingCategory() { return trainingCategory; }

    /** Visited in the evening of its opening hours (gastronomy, culture, clubs in Musterstadt). */
    public boolean evening(SimParticipant p) { return eveningSectors.contains(p.sector()) || eveningKinds.contains(p.kind()); }

    /** Visited evenly over its opening hours (food shops in Musterstadt). */
    public boolean anyTime(SimParticipant p) { return anyTimeSectors.contains(p.sector()); }

    /** Visited early in its opening hours (bakeries in Musterstadt). */
    public boolean morning(SimParticipant p) { return morningKinds.contains(p.kind()); }

    private static void requireInterest(List<String> interestIds, String id, String where) {
        if (!interestIds.contains(id)) {
            throw new IllegalArgumentException(FILE + ": " + where + ": '" + id + "' is not an interest of population.json");
        }
    }

    private static void requireCategory(Taxonomy taxonomy, String id, String where) {
        if (!taxonomy.contains(id)) throw new IllegalArgumentException(FILE + ": " + where + ": '" + id + "' is not a taxonomy category");
    }

    private static JsonNode required(JsonNode root, String field, String where) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) throw new IllegalArgumentException(FILE + ": field '" + where + "' is required");
        return n;
    }

    private static double probability(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber() || v.asDouble() < 0 || v.asDouble() > 1) {
            throw new IllegalArgumentException(FILE + ": field '" + where + "' must be a probability between 0 and 1");
        }
        return v.asDouble();
    }

    private static Integer intOrNull(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asInt() : null;
    }

    private static Set<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return Set.copyOf(out);
    }

    private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        return node::fields;
    }
}
