package de.prokommun.insights.flink.profile;

import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.flink.city.CityConfig;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/** Pure helpers of the profile builder: the row of a profile, ages, days and the next re-evaluation time. */
public final class ProfileRows {
    private ProfileRows() {}

    /** Versions are at least the event time in microseconds, so a re-registration after erasure outranks the deleted row. */
    public static long nextVersion(long lastVersion, long eventTime) {
        return Math.max(lastVersion + 1, Math.multiplyExact(Math.max(eventTime, 0L), 1000L));
    }

    public static int yearOf(long epochMillis, ZoneId zone) {
        return Instant.ofEpochMilli(epochMillis).atZone(zone).getYear();
    }

    public static int epochDay(long epochMillis, ZoneId zone) {
        return (int) Instant.ofEpochMilli(epochMillis).atZone(zone).toLocalDate().toEpochDay();
    }

    public static Integer ageOf(Integer birthYear, long clock, ZoneId zone) {
        return birthYear == null ? null : yearOf(clock, zone) - birthYear;
    }

    public static PersonFacts facts(ProfileState s, CityConfig city, Map<String, int[]> activity) {
        ZoneId zone = city.zone();
        Set<String> interests = s.interests == null ? Set.of() : Set.copyOf(Arrays.asList(s.interests));
        return new PersonFacts(ageOf(s.birthYear, s.clock, zone), s.householdType, s.gender, interests, activity,
                epochDay(s.clock, zone));
    }

    /** The person's current row, version and updatedAt still 0. */
    public static ProfileRow rowOf(String pseudonym, ProfileState s, CityConfig city, Map<String, int[]> activity) {
        PersonFacts facts = facts(s, city, activity);
        Integer age = facts.age();
        return ProfileRow.newBuilder()
                .setPseudonym(pseudonym)
                .setCity(s.city)
                .setBirthYear(s.birthYear)
                .setAge(age)
                .setAgeBand(age == null ? null : city.ageBands().bandOf(age))
                .setGender(s.gender == null ? "UNKNOWN" : s.gender)
                .setDistrict(s.district)
                .setHouseholdType(s.householdType == null ? "UNKNOWN" : s.householdType)
                .setPersonas(city.personaRules().personasOf(facts))
                .setInterests(s.interests == null ? List.of() : Arrays.asList(s.interests))
                .setConsentOffers(s.consentOffers)
                .setConsentNewsletter(s.consentNewsletter)
                .setRegisteredDay(s.registeredDay)
                .setLastActivityDay(s.lastActivityDay)
                .setLastPurchaseDay(s.purchases == null ? null : s.purchases.lastPurchaseDay)
                .setPurchaseTags(s.purchases == null ? List.of() : s.purchases.list())
                .setOfferObjections(s.offerObjections == null ? List.of() : Arrays.asList(s.offerObjections))
                .setDeleted(false)
                .setUpdatedAt(0L)
                .setVersion(0L)
                .build();
    }

    /** The row that tells Pinot the person is gone: no dimension survives. */
    public static ProfileRow deletedRow(String pseudonym, String city, long updatedAt, long version) {
        return ProfileRow.newBuilder()
                .setPseudonym(pseudonym)
                .setCity(city == null ? "" : city)
                .setGender("UNKNOWN")
                .setHouseholdType("UNKNOWN")
                .setDeleted(true)
                .setUpdatedAt(updatedAt)
                .setVersion(version)
                .build();
    }

    /**
     * When age band or personas may change next without an event: 1 January of the year the person reaches the
     * next age boundary of a band or rule, or the day counted activity leaves a rule's window; null if never.
     */
    public static Long nextReevaluation(ProfileState s, CityConfig city, Map<String, int[]> activity) {
        ZoneId zone = city.zone();
        PersonFacts facts = facts(s, city, activity);
        long best = Long.MAX_VALUE;
        if (facts.age() != null) {
            int age = facts.age();
            OptionalInt band = city.ageBands().nextBoundaryAbove(age);
            OptionalInt rule = city.personaRules().nextAgeBoundaryAbove(age);
            int next = Math.min(band.orElse(Integer.MAX_VALUE), rule.orElse(Integer.MAX_VALUE));
            if (next != Integer.MAX_VALUE) {
                best = ZonedDateTime.of(s.birthYear + next, 1, 1, 0, 0, 0, 0, zone).toInstant().toEpochMilli();
            }
        }
        OptionalInt expiry = city.personaRules().nextActivityExpiry(facts);
        if (expiry.isPresent()) {
            best = Math.min(best, LocalDate.ofEpochDay(expiry.getAsInt()).atStartOfDay(zone).toInstant().toEpochMilli());
        }
        return best == Long.MAX_VALUE ? null : best;
    }
}
