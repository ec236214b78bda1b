package de.prokommun.insights.resident.personas;

import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.city.Activity;
import de.prokommun.insights.city.Label;
import de.prokommun.insights.city.PersonaCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Says in plain words (German first, English beside) why a persona applies to a person: each condition of
 * the city's rule, checked against the person's profile where the profile can tell (age, household, gender,
 * interests). Activity conditions are described, not recounted: the counts live in the stream state only.
 */
public final class PersonaExplainer {

    /** One condition of a rule as the person reads it; {@code holds} is null where it cannot be re-checked here. */
    public record Reason(String condition, Boolean holds, String de, String en) {}

    /** {@code label}: the persona's display name from personas.json (German, English), or null if the file gives none. */
    public record Explanation(String persona, Label label, List<Reason> reasons) {}

    private static final Map<String, String> HOUSEHOLDS_DE = Map.of("SINGLE", "Single-Haushalt", "COUPLE", "Paar",
            "FAMILY", "Familie", "SINGLE_PARENT", "alleinerziehend", "SHARED", "Wohngemeinschaft", "UNKNOWN", "unbekannt");
    private static final Map<String, String> HOUSEHOLDS_EN = Map.of("SINGLE", "single household", "COUPLE", "couple",
            "FAMILY", "family", "SINGLE_PARENT", "single parent", "SHARED", "shared flat", "UNKNOWN", "unknown");
    private static final Map<String, String> GENDERS_DE = Map.of("FEMALE", "weiblich", "MALE", "männlich",
            "DIVERSE", "divers", "UNKNOWN", "unbekannt");
    private static final Map<String, String> GENDERS_EN = Map.of("FEMALE", "female", "MALE", "male",
            "DIVERSE", "diverse", "UNKNOWN", "unknown");
    private static final Map<String, String[]> SIGNALS = Map.of(
            "purchase", new String[] {"Einkäufe", "purchases"},
            "voucher", new String[] {"Gutschein-Einlösungen oder -Käufe", "voucher purchases or redemptions"},
            "bonus", new String[] {"Bonuspunkte-Buchungen", "bonus point bookings"},
            "follow", new String[] {"Teilnehmern gefolgt", "participants followed"},
            "newsletter", new String[] {"Newsletter-Anmeldungen", "newsletter subscriptions"},
            "checkin", new String[] {"Check-ins", "check-ins"});

    private final PersonaRules rules;

    public PersonaExplainer(PersonaRules rules) {
        this.rules = rules;
    }

    /** One explanation per persona the profile carries, in the profile's order. */
    public List<Explanation> explain(String city, ProfileRow profile) {
        List<Explanation> out = new ArrayList<>();
        for (String persona : profile.getPersonas()) {
            out.add(rules.rule(city, persona)
                    .map(rule -> new Explanation(persona, rule.label(), explain(rule.condition(), profile)))
                    .orElseGet(() -> new Explanation(persona, null, List.of(new Reason("rule", null,
                            "Für diese Persona gibt es keine Regel mehr; sie entfällt bei der nächsten Neubewertung.",
                            "No rule defines this persona any more; it is dropped at the next re-evaluation.")))));
        }
        return out;
    }

    static List<Reason> explain(PersonaCondition c, ProfileRow p) {
        List<Reason> reasons = new ArrayList<>();
        if (c.ageFrom() != null || c.ageTo() != null) reasons.add(age(c.ageFrom(), c.ageTo(), p.getAge()));
        if (c.householdTypes() != null) {
            reasons.add(oneOf("householdType", c.householdTypes(), p.getHouseholdType(), HOUSEHOLDS_DE, HOUSEHOLDS_EN,
                    "Haushaltsform", "household type"));
        }
        if (c.genders() != null) {
            reasons.add(oneOf("gender", c.genders(), p.getGender(), GENDERS_DE, GENDERS_EN, "Geschlecht", "gender"));
        }
        if (c.interestsAny() != null) reasons.add(interests(c.interestsAny(), p.getInterests()));
        if (c.activity() != null) reasons.add(activity(c.activity()));
        if (c.anyOf() != null) reasons.addAll(anyOf(c.anyOf(), p));
        return reasons;
    }

    /** The blocks of an anyOf that the profile shows to hold; if none can be shown, the activity blocks that may. */
    private static List<Reason> anyOf(List<PersonaCondition> blocks, ProfileRow p) {
        List<Reason> shown = new ArrayList<>();
        List<Reason> possible = new ArrayList<>();
        for (PersonaCondition block : blocks) {
            List<Reason> reasons = explain(block, p);
            boolean anyFalse = reasons.stream().anyMatch(r -> Boolean.FALSE.equals(r.holds()));
            boolean allShown = reasons.stream().allMatch(r -> Boolean.TRUE.equals(r.holds()));
            if (allShown) shown.addAll(reasons);
            else if (!anyFalse) possible.addAll(reasons);
        }
        return shown.isEmpty() ? possible : shown;
    }

    static Reason age(Integer from, Integer to, Integer age) {
        boolean holds = age != null && (from == null || age >= from) && (to == null || age <= to);
        String de;
        String en;
        if (from != null && to != null) {
            de = "Alter von " + from + " bis " + to + " Jahren";
            en = "age " + from + " to " + to + " years";
        } else if (from != null) {
            de = "Alter ab " + from + " Jahren";
            en = "age " + from + " years or older";
        } else {
            de = "Alter bis " + to + " Jahre";
            en = "age up to " + to + " years";
        }
        String yours = age == null ? " (Ihr Alter ist nicht bekannt)" : " (Ihr Alter: " + age + ")";
        String yoursEn = age == null ? " (your age is not known)" : " (your age: " + age + ")";
        return new Reason("age", holds, de + yours, en + yoursEn);
    }

    private static Reason oneOf(String condition, List<String> allowed, String actual, Map<String, String> de,
                                Map<String, String> en, String nameDe, String nameEn) {
        boolean holds = actual != null && allowed.contains(actual);
        String listDe = allowed.stream().map(v -> de.getOrDefault(v, v)).collect(Collectors.joining(", "));
        String listEn = allowed.stream().map(v -> en.getOrDefault(v, v)).collect(Collectors.joining(", "));
        String yoursDe = actual == null ? "nicht angegeben" : de.getOrDefault(actual, actual);
        String yoursEn = actual == null ? "not given" : en.getOrDefault(actual, actual);
        return new Reason(condition, holds,
                nameDe + " ist " + (allowed.size() > 1 ? "eines von: " : "") + listDe + " (Ihre Angabe: " + yoursDe + ")",
                nameEn + " is " + (allowed.size() > 1 ? "one of: " : "") + listEn + " (yours: " + yoursEn + ")");
    }

    static Reason interests(List<String> wanted, List<String> declared) {
        List<String> matching = declared.stream().map(s -> s.toLowerCase(Locale.ROOT)).filter(wanted::contains).distinct().toList();
        String list = String.join(", ", wanted);
        if (matching.isEmpty()) {
            return new Reason("interestsAny", false, "mindestens eines der Interessen " + list
                    + " (Sie haben keines davon angegeben)", "at least one of the interests " + list + " (you declared none of them)");
        }
        String yours = String.join(", ", matching);
        return new Reason("interestsAny", true, "Sie haben das Interesse " + yours + " angegeben (eines von: " + list + ")",
                "you declared the interest " + yours + " (one of: " + list + ")");
    }

    static Reason activity(Activity a) {
        List<String> de = new ArrayList<>();
        List<String> en = new ArrayList<>();
        for (String signal : a.signals()) {
            int colon = signal.indexOf(':');
            String base = colon < 0 ? signal : signal.substring(0, colon);
            String[] words = SIGNALS.getOrDefault(base, new String[] {signal, signal});
            String category = colon < 0 ? "" : signal.substring(colon + 1);
            de.add(category.isEmpty() ? words[0] : words[0] + " (Kategorie " + category + ")");
            en.add(category.isEmpty() ? words[1] : words[1] + " (category " + category + ")");
        }
        return new Reason("activity", null,
                "mindestens " + a.atLeast() + " " + String.join(" oder ", de) + " in den letzten " + a.withinDays() + " Tagen",
                "at least " + a.atLeast() + " " + String.join(" or ", en) + " in the last " + a.withinDays() + " days");
    }
}
