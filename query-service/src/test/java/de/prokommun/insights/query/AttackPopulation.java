package de.prokommun.insights.query;

import de.prokommun.insights.events.ProfileRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The profiles of {@link DisclosureAttackIT}: a population built around one resident the attacker knows, X,
 * the only live resident of Musterstadt aged exactly 41 in Saarn (a deleted profile and a resident of another
 * city with the same age and district make "the only live one" a real condition of the count). Around X:
 * enough people in Saarn aged 30..40 and 42+ that neither side of the differencing pair is ever near the
 * minimum cell size, and single parents aged 50..70 spread over the districts so that exactly one district
 * cell is small and one other is clearly the next smallest. True counts are computed here in plain Java.
 */
final class AttackPopulation {

    static final String CITY = ProfileFixture.CITY;
    static final String KNOWN_DISTRICT = "Saarn";
    static final int KNOWN_AGE = 41;
    /** The district with a cell below the minimum cell size in the single-parent breakdown. */
    static final String SMALL_DISTRICT = "Holthausen";
    /** The next-smallest district of that breakdown: the complementary cell. */
    static final String NEXT_SMALLEST_DISTRICT = "Broich";
    /** Single parents aged 50..70 per district (null: no district). Far apart, so noise cannot reorder them. */
    static final Map<String, Integer> SINGLE_PARENTS = Map.of("Altstadt", 44, "Heißen", 52, "Dümpten", 47,
            "Styrum", 61, "Eppinghofen", 41, "Speldorf", 49, NEXT_SMALLEST_DISTRICT, 19, SMALL_DISTRICT, 2,
            KNOWN_DISTRICT, 56);
    static final int SINGLE_PARENTS_WITHOUT_DISTRICT = 43;

    record Resident(String pseudonym, String city, int age, String gender, String district, String householdType,
                    boolean deleted) {

        ProfileRow row(long version) {
            return ProfileRow.newBuilder()
                    .setPseudonym(pseudonym).setCity(city).setBirthYear(2026 - age).setAge(age)
                    .setAgeBand(ProfileFixture.ageBand(age)).setGender(gender).setDistrict(district)
                    .setHouseholdType(householdType).setPersonas(List.of()).setInterests(List.of())
                    .setConsentOffers(true).setConsentNewsletter(false)
                    .setRegisteredDay(20_000).setLastActivityDay(20_400)
                    .setDeleted(deleted).setUpdatedAt(1_764_000_000_000L + version).setVersion(version)
                    .build();
        }

        Resident erased() {
            return new Resident(pseudonym, city, age, gender, district, householdType, true);
        }
    }

    private final List<Resident> residents = new ArrayList<>();
    private Resident known;

    AttackPopulation() {
        int n = 0;
        // 150: with ε = 0.15 a count of 150 falls below k = 10 with probability about 4e-10 per answer.
        for (int i = 0; i < 150; i++) {
            residents.add(live(n++, 30 + i % 11, KNOWN_DISTRICT, "COUPLE"));
        }
        for (int i = 0; i < 30; i++) {
            residents.add(live(n++, 42 + i % 19, KNOWN_DISTRICT, i % 2 == 0 ? "COUPLE" : "SINGLE"));
        }
        known = new Resident(pseudonym(n++), CITY, KNOWN_AGE, "MALE", KNOWN_DISTRICT, "SINGLE", false);
        residents.add(known);
        // Same age and district, but erased, or of another city: neither may count.
        residents.add(new Resident(pseudonym(n++), CITY, KNOWN_AGE, "FEMALE", KNOWN_DISTRICT, "SINGLE", true));
        residents.add(new Resident(pseudonym(n++), ProfileFixture.OTHER_CITY, KNOWN_AGE, "MALE", KNOWN_DISTRICT,
                "SINGLE", false));
        for (String district : ProfileFixture.DISTRICTS) {
            for (int i = 0; i < SINGLE_PARENTS.get(district); i++) {
                residents.add(live(n++, 50 + i % 21, district, "SINGLE_PARENT"));
            }
        }
        for (int i = 0; i < SINGLE_PARENTS_WITHOUT_DISTRICT; i++) {
            residents.add(live(n++, 50 + i % 21, null, "SINGLE_PARENT"));
        }
    }

    private static Resident live(int n, int age, String district, String household) {
        return new Resident(pseudonym(n), CITY, age, ProfileFixture.GENDERS.get(n % 3), district, household, false);
    }

    private static String pseudonym(int n) {
        return String.format("psn-attack-%08d", n);
    }

    List<ProfileRow> rows() {
        return residents.stream().map(r -> r.row(1)).toList();
    }

    Resident known() {
        return known;
    }

    /** X's profile is erased (the row the pipeline writes for an erasure): returns the row to upsert. */
    synchronized ProfileRow eraseKnown() {
        int at = residents.indexOf(known);
        known = known.erased();
        residents.set(at, known);
        return known.row(2);
    }

    /** Live residents of the city matching the predicate: what an audience count must be. */
    synchronized long count(Predicate<Resident> matches) {
        return residents.stream().filter(r -> r.city().equals(CITY) && !r.deleted()).filter(matches).count();
    }

    /** Every resident, live or erased, of any city (a copy). */
    synchronized List<Resident> residents() {
        return List.copyOf(residents);
    }

    List<String> pseudonyms() {
        return residents.stream().map(Resident::pseudonym).toList();
    }

    int size() {
        return residents.size();
    }
}
