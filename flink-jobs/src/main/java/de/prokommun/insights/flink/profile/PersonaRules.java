package de.prokommun.insights.flink.profile;

import de.prokommun.insights.city.CityFiles;
import de.prokommun.insights.city.Persona;
import de.prokommun.insights.city.PersonaCondition;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * A city's persona rules (cities/&lt;city&gt;/personas.json, read and checked by the city module). Each persona is a
 * condition block; all conditions of a block must hold, "anyOf" needs one of its blocks to hold. The format is
 * documented in personas.json and flink-jobs/README.md. Pure: the profile builder calls {@link #personasOf} with a
 * person's facts.
 */
public final class PersonaRules implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<Rule> rules;

    private PersonaRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static PersonaRules none() { return new PersonaRules(List.of()); }

    /** The rules of a city's personas as the city module read them from personas.json. */
    public static PersonaRules of(List<Persona> personas) {
        return new PersonaRules(personas.stream().map(p -> new Rule(p.id(), Condition.of(p.condition()))).toList());
    }

    /** Rules from the text of a personas.json (tests), checked as the city module checks the file. */
    public static PersonaRules parse(String json) {
        return of(CityFiles.parsePersonas(json, "persona rules"));
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

    /**
     * The most occurrences any rule asks for: a rule holds while the newest {@code atLeast} occurrences of its signals
     * are within its window, and those are among the newest {@code atLeast} of each signal, so a person's older
     * activity decides no rule, now or later, and need not be kept (at least one, for the window's expiry).
     */
    public int maxAtLeast() {
        int max = 1;
        for (Rule r : rules) max = Math.max(max, r.condition().maxAtLeast());
        return max;
    }

    record Rule(String persona, Condition condition) implements Serializable {}

    record Activity(List<String> signals, int atLeast, int withinDays) implements Serializable {}

    /** One condition block; null fields do not constrain. */
    record Condition(Integer ageFrom, Integer ageTo, Set<String> householdTypes, Set<String> genders,
                     Set<String> interestsAny, Activity activity, List<Condition> anyOf) implements Serializable {

        static Condition of(PersonaCondition c) {
            return new Condition(c.ageFrom(), c.ageTo(), c.householdTypes() == null ? null : Set.copyOf(c.householdTypes()),
                    c.genders() == null ? null : Set.copyOf(c.genders()),
                    c.interestsAny() == null ? null : Set.copyOf(c.interestsAny()),
                    c.activity() == null ? null
                            : new Activity(c.activity().signals(), c.activity().atLeast(), c.activity().withinDays()),
                    c.anyOf() == null ? null : c.anyOf().stream().map(Condition::of).toList());
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

        int maxAtLeast() {
            int max = activity == null ? 0 : activity.atLeast();
            if (anyOf != null) for (Condition c : anyOf) max = Math.max(max, c.maxAtLeast());
            return max;
        }

        int maxWindow() {
            int max = activity == null ? 0 : activity.withinDays();
            if (anyOf != null) for (Condition c : anyOf) max = Math.max(max, c.maxWindow());
            return max;
        }
    }

    @Override
    public String toString() { return "PersonaRules" + personaNames(); }

    static Map<String, int[]> noActivity() { return Map.of(); }
}
