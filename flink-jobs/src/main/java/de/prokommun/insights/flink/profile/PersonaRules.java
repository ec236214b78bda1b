package de.prokommun.insights.flink.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * A city's persona rules (cities/&lt;city&gt;/personas.json). Each persona is a condition block; all conditions
 * of a block must hold, "anyOf" needs one of its blocks to hold. The format is documented in personas.json
 * and flink-jobs/README.md. Pure: the profile builder calls {@link #personasOf} with a person's facts.
 */
public final class PersonaRules implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** "label" is the persona's display name ({de, en}) for the dashboards; the rules do not read it. */
    private static final Set<String> KNOWN_FIELDS = Set.of("persona", "label", "age", "householdTypes", "genders",
            "interestsAny", "activity", "anyOf");

    private final List<Rule> rules;

    private PersonaRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static PersonaRules none() { return new PersonaRules(List.of()); }

    public static PersonaRules load(Path file) {
        try {
            return parse(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static PersonaRules parse(String json) {
        try {
            return parse(JSON.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("persona rules: not JSON: " + e.getMessage(), e);
        }
    }

    static PersonaRules parse(JsonNode root) {
        JsonNode personas = root.get("personas");
        if (personas == null || !personas.isArray()) {
            throw new IllegalArgumentException("persona rules: field 'personas' must be an array");
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode p : personas) {
            String name = p.path("persona").asText("");
            if (name.isBlank()) throw new IllegalArgumentException("persona rules: every rule needs a 'persona' name");
            if (!names.add(name)) throw new IllegalArgumentException("persona rules: persona '" + name + "' defined twice");
            rules.add(new Rule(name, Condition.parse(p, "persona '" + name + "'")));
        }
        return new PersonaRules(rules);
    }

    public List<String> personaNames() {
        return rules.stream().map(Rule::persona).toList();
    }

    /** The personas that hold for the person, in rule order. */
    public List<String> personasOf(PersonFacts facts) {
        List<String> out = new ArrayList<>();
        for (Rule r : rules) {
            if (r.condition().holds(facts)) out.add(r.persona());
        }
        return out;
    }

    /** The smallest age above {@code age} at which some rule's age condition starts or stops holding. */
    public OptionalInt nextAgeBoundaryAbove(int age) {
        TreeSet<Integer> boundaries = new TreeSet<>();
        rules.forEach(r -> r.condition().collectAgeBoundaries(boundaries));
        Integer next = boundaries.higher(age);
        return next == null ? OptionalInt.empty() : OptionalInt.of(next);
    }

    /** The first epoch day after {@code facts.today()} on which a counted activity leaves some rule's window. */
    public OptionalInt nextActivityExpiry(PersonFacts facts) {
        int best = Integer.MAX_VALUE;
        for (Rule r : rules) best = Math.min(best, r.condition().nextExpiry(facts));
        return best == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(best);
    }

    /** The longest activity window of any rule: older activity can be forgotten. */
    public int maxWindowDays() {
        int max = 0;
        for (Rule r : rules) max = Math.max(max, r.condition().maxWindow());
        return max;
    }

    record Rule(String persona, Condition condition) implements Serializable {}

    record Activity(List<String> signals, int atLeast, int withinDays) implements Serializable {}

    /** One condition block; null fields do not constrain. */
    record Condition(Integer ageFrom, Integer ageTo, Set<String> householdTypes, Set<String> genders,
                     Set<String> interestsAny, Activity activity, List<Condition> anyOf) implements Serializable {

        static Condition parse(JsonNode n, String where) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!KNOWN_FIELDS.contains(f) && !f.equals("comment")) {
                    throw new IllegalArgumentException("persona rules: " + where + ": unknown field '" + f + "'");
                }
            }
            Integer from = null, to = null;
            if (n.has("age")) {
                JsonNode a = n.get("age");
                if (a.has("from")) from = a.get("from").asInt();
                if (a.has("to")) to = a.get("to").asInt();
                if (from == null && to == null) throw new IllegalArgumentException("persona rules: " + where + ": age needs from and/or to");
                if (from != null && to != null && from > to) throw new IllegalArgumentException("persona rules: " + where + ": age from > to");
            }
            Activity activity = null;
            if (n.has("activity")) {
                JsonNode a = n.get("activity");
                List<String> signals = lowerCase(a.get("signals"), where + " activity.signals");
                int atLeast = a.path("atLeast").asInt(1);
                int within = a.path("withinDays").asInt(0);
                if (signals.isEmpty() || atLeast < 1 || within < 1) {
                    throw new IllegalArgumentException("persona rules: " + where
                            + ": activity needs signals, atLeast >= 1 and withinDays >= 1");
                }
                activity = new Activity(signals, atLeast, within);
            }
            List<Condition> anyOf = null;
            if (n.has("anyOf")) {
                anyOf = new ArrayList<>();
                for (JsonNode c : n.get("anyOf")) anyOf.add(parse(c, where + " anyOf"));
                if (anyOf.isEmpty()) throw new IllegalArgumentException("persona rules: " + where + ": anyOf is empty");
            }
            return new Condition(from, to, upperSet(n.get("householdTypes")), upperSet(n.get("genders")),
                    n.has("interestsAny") ? Set.copyOf(lowerCase(n.get("interestsAny"), where + " interestsAny")) : null,
                    activity, anyOf);
        }

        boolean holds(PersonFacts f) {
            if (ageFrom != null || ageTo != null) {
                if (f.age() == null) return false;
                if (ageFrom != null && f.age() < ageFrom) return false;
                if (ageTo != null && f.age() > ageTo) return false;
            }
            if (householdTypes != null && !householdTypes.contains(f.householdType())) return false;
            if (genders != null && !genders.contains(f.gender())) return false;
            if (interestsAny != null && f.interests().stream().noneMatch(interestsAny::contains)) return false;
            if (activity != null && f.activityCount(activity.signals(), activity.withinDays()) < activity.atLeast()) return false;
            return anyOf == null || anyOf.stream().anyMatch(c -> c.holds(f));
        }

        void collectAgeBoundaries(Set<Integer> out) {
            if (ageFrom != null) out.add(ageFrom);
            if (ageTo != null) out.add(ageTo + 1);
            if (anyOf != null) anyOf.forEach(c -> c.collectAgeBoundaries(out));
        }

        int nextExpiry(PersonFacts f) {
            int best = Integer.MAX_VALUE;
            if (activity != null) {
                for (String s : activity.signals()) {
                    int[] days = f.activityDays().get(s);
                    if (days == null) continue;
                    for (int d : days) {
                        int expiry = d + activity.withinDays();
                        if (d <= f.today() && expiry > f.today()) best = Math.min(best, expiry);
                    }
                }
            }
            if (anyOf != null) for (Condition c : anyOf) best = Math.min(best, c.nextExpiry(f));
            return best;
        }

        int maxWindow() {
            int max = activity == null ? 0 : activity.withinDays();
            if (anyOf != null) for (Condition c : anyOf) max = Math.max(max, c.maxWindow());
            return max;
        }

        private static List<String> lowerCase(JsonNode array, String where) {
            if (array == null || !array.isArray()) throw new IllegalArgumentException("persona rules: " + where + " must be an array");
            List<String> out = new ArrayList<>();
            array.forEach(v -> out.add(v.asText().trim().toLowerCase(Locale.ROOT)));
            return out;
        }

        private static Set<String> upperSet(JsonNode array) {
            if (array == null) return null;
            Set<String> out = new LinkedHashSet<>();
            array.forEach(v -> out.add(v.asText().trim().toUpperCase(Locale.ROOT)));
            return Set.copyOf(out);
        }
    }

    @Override
    public String toString() { return "PersonaRules" + personaNames(); }

    static Map<String, int[]> noActivity() { return Map.of(); }
}
