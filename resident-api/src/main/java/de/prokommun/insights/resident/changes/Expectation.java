package de.prokommun.insights.resident.changes;

import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.resident.auth.Resident;
import de.prokommun.insights.resident.data.PersonStore;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What Pinot shows once a change has taken effect everywhere the person's data is answered from: the
 * profile row carries the new values, the purchase's record is gone, or the person is gone altogether.
 * Checked on demand (blocking) against the person's own rows only.
 */
public interface Expectation {

    boolean met(PersonStore store, Resident resident);

    /** What the request still waits for, in words for the status answer. */
    String waitingFor();

    /** The profile shows every changed value (birth year, gender, district, household, interests as Flink keeps them). */
    record ProfileShows(Integer birthYear, String gender, String district, String householdType, List<String> interests)
            implements Expectation {
        @Override
        public boolean met(PersonStore store, Resident r) {
            Optional<ProfileRow> row = store.liveProfile(r.city(), r.pseudonym());
            if (row.isEmpty()) return false;
            ProfileRow p = row.get();
            return (birthYear == null || birthYear.equals(p.getBirthYear()))
                    && (gender == null || gender.equals(p.getGender()))
                    && (district == null || district.equals(p.getDistrict()))
                    && (householdType == null || householdType.equals(p.getHouseholdType()))
                    && (interests == null || normalised(interests).equals(normalised(p.getInterests())));
        }

        private static List<String> normalised(List<String> values) {
            return values.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                    .distinct().sorted().toList();
        }

        @Override
        public String waitingFor() { return "the profile to show the changed values"; }
    }

    /** Consents as asked: without analytics consent the profile is gone from every answer (deleted or absent). */
    record ConsentsShow(boolean analytics, boolean offers, boolean newsletter) implements Expectation {
        @Override
        public boolean met(PersonStore store, Resident r) {
            Optional<ProfileRow> live = store.liveProfile(r.city(), r.pseudonym());
            if (!analytics) return live.isEmpty();
            return live.isPresent() && live.get().getConsentOffers() == offers
                    && live.get().getConsentNewsletter() == newsletter;
        }

        @Override
        public String waitingFor() {
            return analytics ? "the profile to show the new consents" : "the profile to be removed from every answer";
        }
    }

    /** The retracted purchases' records are no longer live. */
    record RecordsGone(List<String> recordIds) implements Expectation {
        public RecordsGone {
            recordIds = List.copyOf(Objects.requireNonNull(recordIds));
        }

        @Override
        public boolean met(PersonStore store, Resident r) {
            for (String id : recordIds) {
                if (store.liveRecordCount(r.city(), r.pseudonym(), id) > 0) return false;
            }
            return true;
        }

        @Override
        public String waitingFor() { return "the purchase to be removed from your records and every figure"; }
    }

    /** Erasure: no live profile and no live record of the person. */
    record PersonGone() implements Expectation {
        @Override
        public boolean met(PersonStore store, Resident r) {
            return store.liveProfile(r.city(), r.pseudonym()).isEmpty()
                    && store.liveRecordCount(r.city(), r.pseudonym(), null) == 0;
        }

        @Override
        public String waitingFor() { return "your profile and every record to be erased"; }
    }

    /**
     * The profile shows the objection standing ({@code standing}) or lifted. Without a live profile no campaign can
     * select the person at all, so an objection has nothing left to wait for.
     */
    record ObjectionShows(String scope, boolean standing) implements Expectation {
        @Override
        public boolean met(PersonStore store, Resident r) {
            Optional<ProfileRow> live = store.liveProfile(r.city(), r.pseudonym());
            if (live.isEmpty()) return standing;
            return live.get().getOfferObjections().contains(scope) == standing;
        }

        @Override
        public String waitingFor() {
            return standing ? "the objection to apply to every running campaign" : "the objection to be lifted";
        }
    }
}
