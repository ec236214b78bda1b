package de.prokommun.insights.query;

import de.prokommun.insights.events.ProfileRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Known profiles for the integration tests: residents of Musterstadt with chosen ages, genders, districts,
 * household types, personas and interests, some deleted, some of another city, some updated (upserts).
 * True counts are computed here, in plain Java, independently of the SQL the service generates.
 */
final class ProfileFixture {

    static final String CITY = "musterstadt";
    static final String OTHER_CITY = "nachbarstadt";
    static final List<String> DISTRICTS = List.of("Altstadt", "Heißen", "Dümpten", "Styrum", "Eppinghofen",
            "Speldorf", "Broich", "Holthausen", "Saarn");
    static final List<String> PERSONAS = List.of("family", "senior", "student", "young_adult", "single", "couple",
            "culture_fan");
    static final List<String> GENDERS = List.of("FEMALE", "MALE", "DIVERSE");
    static final List<String> HOUSEHOLDS = List.of("SINGLE", "COUPLE", "FAMILY", "SINGLE_PARENT", "SHARED");
    static final List<String> INTERESTS = List.of("sport", "kultur", "musik");
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

        /** The profile as it was before its last update: another district, not deleted. */
        ProfileRow earlierRow() {
            return new Person(pseudonym, city, age, gender, "Saarn".equals(district) ? "Broich" : "Saarn",
                    householdType, List.of("family"), interests, !consentOffers, false).row(1);
        }
    }

    final List<Person> people = new ArrayList<>();
    /** How many of them were written twice (an earlier version first). */
    final int updated;

    ProfileFixture(long seed) {
        Random rnd = new Random(seed);
        for (int i = 0; i < 320; i++) {
            List<String> personas = new ArrayList<>();
            for (String p : PERSONAS) if (rnd.nextInt(4) == 0) personas.add(p);
            List<String> interests = new ArrayList<>();
            for (String s : INTERESTS) if (rnd.nextInt(3) == 0) interests.add(s);
            people.add(new Person(pseudonym(rnd), CITY, rnd.nextInt(96), GENDERS.get(rnd.nextInt(3)),
                    rnd.nextInt(20) == 0 ? null : DISTRICTS.get(rnd.nextInt(DISTRICTS.size())),
                    HOUSEHOLDS.get(rnd.nextInt(HOUSEHOLDS.size())), personas, interests, rnd.nextBoolean(),
                    rnd.nextInt(8) == 0));
        }
        for (int i = 0; i < 5; i++) {
            people.add(new Person(pseudonym(rnd), CITY, 40 + i, "MALE", "Styrum", "SINGLE", List.of("single"),
                    List.of(RARE_INTEREST), true, i >= 3));
        }
        for (int i = 0; i < 60; i++) {
            people.add(new Person(pseudonym(rnd), OTHER_CITY, 20 + rnd.nextInt(60), "FEMALE", "Saarn", "FAMILY",
                    List.of("family", "senior"), List.of("sport", RARE_INTEREST), true, false));
        }
        updated = 40;
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
