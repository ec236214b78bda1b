package de.prokommun.insights.query;

import de.prokommun.insights.city.CityFiles;
import de.prokommun.insights.city.Persona;
import de.prokommun.insights.city.PersonaCondition;
import de.prokommun.insights.events.ProfileRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Known profiles for the integration tests: residents of Musterstadt with chosen ages, genders, districts,
 * household types, interests and behaviour, some deleted, some of another city, some updated (upserts).
 * True counts are computed here, in plain Java, independently of the SQL the service generates.
 *
 * <p>Personas follow the city's rules ({@code cities/musterstadt/personas.json}, the semantics of the profile
 * builder's {@code PersonaRules}: all conditions of a rule hold, one block of {@code anyOf}), evaluated here from
 * each person's age, household type, gender, declared interests and a drawn behaviour (events per activity signal,
 * all within the last 30 days, so within every rule's window). So a "family" is a FAMILY household and a "senior"
 * 65 or older, as in the city — which the publication relies on when it answers the personas defined by the cube
 * from the cells of everybody ({@code CubePersona}). Until December 2026 personas were drawn at random, independent
 * of the attributes.
 */
final class ProfileFixture {

    static final String CITY = "musterstadt";
    static final String OTHER_CITY = "nachbarstadt";
    static final List<String> DISTRICTS = List.of("Altstadt", "Heißen", "Dümpten", "Styrum", "Eppinghofen",
            "Speldorf", "Broich", "Holthausen", "Saarn");
    /** The city's persona rules, in the file's order (the order of a person's personas). */
    static final List<Persona> RULES = rules();
    static final List<String> GENDERS = List.of("FEMALE", "MALE", "DIVERSE");
    static final List<String> HOUSEHOLDS = List.of("SINGLE", "COUPLE", "FAMILY", "SINGLE_PARENT", "SHARED");
    static final List<String> INTERESTS = List.of("sport", "kultur", "musik");
    /** A declared interest that makes an 18–29-year-old a student by the city's rule; never published. */
    static final String STUDY_INTEREST = "studium";
    /**
     * The behaviour drawn per person: events of these activity signals within the last 30 days (0, 1 or 2 each;
     * purchases twice that, so that "regular_shopper", 4 purchases in 30 days, occurs).
     */
    static final List<String> SIGNALS = List.of("voucher", "checkin:club", "checkin:sport", "checkin:kultur",
            "checkin:theater", "purchase");
    /** An interest only a handful of live residents declared: its audience is below the minimum cell size. */
    static final String RARE_INTEREST = "schach";

    /** The final state of one person (what Pinot must count after the upserts). */
    record Person(String pseudonym, String city, int age, String gender, String district, String householdType,
                  List<String> personas, List<String> interests, boolean consentOffers, boolean deleted) {

        ProfileRow row(long version) {
            return ProfileRow.newBuilder()
                    .setPseudonym(pseudonym).setCity(city).setBirthYear(2026 - age).setAge(age)
                    .setAgeBand(ageBand(age)).setGender(gender).setDistrict(district)
                    .setHouseholdType(householdType).setPersonas(personas).setInterests(interests)
                    .setConsentOffers(consentOffers).setConsentNewsletter(false)
                    .setRegisteredDay(20_000).setLastActivityDay(20_400).setLastPurchaseDay(lastPurchaseDay())
                    .setDeleted(deleted).setUpdatedAt(1_764_000_000_000L + version).setVersion(version)
                    .build();
        }

        /**
         * Days since the last purchase, from the pseudonym: 3, 20, 60 or 200 days before today, or never (null) —
         * each well inside one of the publication's activity windows (7, 30, 90, 365 days), so a day's difference
         * between the test's clock and the service's city time changes nothing.
         */
        Integer daysSinceLastPurchase() {
            int[] choices = {3, 20, 60, 200, -1};
            int days = choices[Math.floorMod(pseudonym.hashCode(), choices.length)];
            return days < 0 ? null : days;
        }

        private Integer lastPurchaseDay() {
            Integer days = daysSinceLastPurchase();
            return days == null ? null : (int) (java.time.LocalDate.now(java.time.ZoneOffset.UTC).toEpochDay() - days);
        }

        /**
         * The profile as it was before its last update: another district and household type (so other personas by
         * the rules), the other consent, not deleted.
         */
        ProfileRow earlierRow() {
            String earlierHousehold = "FAMILY".equals(householdType) ? "COUPLE" : "FAMILY";
            return new Person(pseudonym, city, age, gender, "Saarn".equals(district) ? "Broich" : "Saarn",
                    earlierHousehold, ProfileFixture.personas(age, earlierHousehold, gender, interests, Map.of()), interests,
                    !consentOffers, false).row(1);
        }
    }

    final List<Person> people = new ArrayList<>();
    /** How many of them were written twice (an earlier version first). */
    final int updated;

    ProfileFixture(long seed) {
        Random rnd = new Random(seed);
        for (int i = 0; i < 320; i++) {
            // Seven draws, as many as the former random personas took, so every other attribute is drawn as before:
            // six behaviour counts and whether the person declared the study interest.
            Map<String, Integer> behaviour = new java.util.LinkedHashMap<>();
            for (String signal : SIGNALS) {
                int n = Math.max(0, rnd.nextInt(4) - 1); // 0, 0, 1, 2: half of the people show no such events
                behaviour.put(signal, "purchase".equals(signal) ? 2 * n : n);
            }
            boolean studies = rnd.nextInt(4) == 0;
            List<String> interests = new ArrayList<>();
            for (String s : INTERESTS) if (rnd.nextInt(3) == 0) interests.add(s);
            if (studies) interests.add(STUDY_INTEREST);
            String pseudonym = pseudonym(rnd);
            int age = rnd.nextInt(96);
            String gender = GENDERS.get(rnd.nextInt(3));
            String district = rnd.nextInt(20) == 0 ? null : DISTRICTS.get(rnd.nextInt(DISTRICTS.size()));
            String household = HOUSEHOLDS.get(rnd.nextInt(HOUSEHOLDS.size()));
            people.add(new Person(pseudonym, CITY, age, gender, district, household,
                    personas(age, household, gender, interests, behaviour), interests, rnd.nextBoolean(),
                    rnd.nextInt(8) == 0));
        }
        for (int i = 0; i < 5; i++) {
            List<String> interests = List.of(RARE_INTEREST);
            people.add(new Person(pseudonym(rnd), CITY, 40 + i, "MALE", "Styrum", "SINGLE",
                    personas(40 + i, "SINGLE", "MALE", interests, Map.of()), interests, true, i >= 3));
        }
        for (int i = 0; i < 60; i++) {
            int age = 20 + rnd.nextInt(60);
            List<String> interests = List.of("sport", RARE_INTEREST);
            people.add(new Person(pseudonym(rnd), OTHER_CITY, age, "FEMALE", "Saarn", "FAMILY",
                    personas(age, "FAMILY", "FEMALE", interests, Map.of("voucher", 2)), interests, true, false));
        }
        updated = 40;
    }

    /** The personas the city's rules give a person with these attributes and this behaviour, in the rules' order. */
    static List<String> personas(int age, String householdType, String gender, List<String> interests,
                                 Map<String, Integer> behaviour) {
        List<String> held = new ArrayList<>();
        for (Persona rule : RULES) {
            if (holds(rule.condition(), age, householdType, gender, interests, behaviour)) held.add(rule.id());
        }
        return List.copyOf(held);
    }

    /**
     * One condition block, as the profile builder evaluates it: a null field does not constrain; an activity holds
     * with at least {@code atLeast} events of its signals (the drawn behaviour is within every window).
     */
    private static boolean holds(PersonaCondition c, int age, String householdType, String gender,
                                 List<String> interests, Map<String, Integer> behaviour) {
        if (c.ageFrom() != null && age < c.ageFrom()) return false;
        if (c.ageTo() != null && age > c.ageTo()) return false;
        if (c.householdTypes() != null && !c.householdTypes().contains(householdType)) return false;
        if (c.genders() != null && !c.genders().contains(gender)) return false;
        if (c.interestsAny() != null && interests.stream().noneMatch(c.interestsAny()::contains)) return false;
        if (c.activity() != null && c.activity().signals().stream()
                .mapToInt(s -> behaviour.getOrDefault(s, 0)).sum() < c.activity().atLeast()) return false;
        return c.anyOf() == null || c.anyOf().stream()
                .anyMatch(b -> holds(b, age, householdType, gender, interests, behaviour));
    }

    private static List<Persona> rules() {
        Path file = Path.of("..", "cities", CITY, CityFiles.PERSONAS_JSON);
        try {
            return CityFiles.parsePersonas(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("the fixture needs the city's persona rules: " + file, e);
        }
    }

    private static String pseudonym(Random rnd) {
        return String.format("psn-%016x%016x", rnd.nextLong(), rnd.nextLong());
    }

    /** Rows in the order they are written: earlier versions of some people first, then every final row. */
    List<ProfileRow> rows() {
        List<ProfileRow> rows = new ArrayList<>();
        for (int i = 0; i < updated; i++) rows.add(people.get(i).earlierRow());
        for (Person p : people) rows.add(p.row(2));
        return rows;
    }

    /** Live residents of the city matching the predicate: what an audience count must be. */
    long count(Predicate<Person> matches) {
        return people.stream().filter(p -> p.city().equals(CITY) && !p.deleted()).filter(matches).count();
    }

    long countIncludingDeletedAndOtherCities(Predicate<Person> matches) {
        return people.stream().filter(matches).count();
    }

    List<String> pseudonyms() {
        return people.stream().map(Person::pseudonym).toList();
    }

    static String ageBand(int age) {
        if (age <= 13) return "0-13";
        if (age <= 17) return "14-17";
        if (age <= 24) return "18-24";
        if (age <= 34) return "25-34";
        if (age <= 49) return "35-49";
        if (age <= 64) return "50-64";
        if (age <= 79) return "65-79";
        return "80+";
    }
}
