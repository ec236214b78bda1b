package de.prokommun.insights.query.audience;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A persona whose rule in personas.json says nothing but what the published cube already holds: age (aligned to the
 * city's age bands), household types and genders — Musterstadt's single, couple, family, single parent, best ager
 * and senior. Such a persona is exactly a set of cells of the slice of everybody, because the profile builder derives
 * the persona and the age band from the same age, and household type and gender are the profile's own values. The
 * publication therefore answers it from that slice instead of measuring a slice of its own (issue 13: every measured
 * slice raises the publication's sensitivity, since a resident may be in all of them). An empty set means the rule
 * does not restrict that dimension.
 */
public record CubePersona(Set<String> ageBands, Set<String> genders, Set<String> householdTypes) {

    public CubePersona {
        ageBands = Set.copyOf(ageBands);
        genders = Set.copyOf(genders);
        householdTypes = Set.copyOf(householdTypes);
    }

    /** Whether a cell's values satisfy the rule (age band, gender, household type as the cube writes them). */
    public boolean holds(String ageBand, String gender, String householdType) {
        return (ageBands.isEmpty() || ageBands.contains(ageBand))
                && (genders.isEmpty() || genders.contains(gender))
                && (householdTypes.isEmpty() || householdTypes.contains(householdType));
    }

    /**
     * The cube definition of a rule with an age condition from..to (null: open), or empty when the range cuts a band
     * (then the persona needs its own slice).
     */
    static Optional<Set<String>> bandsOf(List<CityVocabulary.AgeBandRange> bands, Integer from, Integer to) {
        if (from == null && to == null) return Optional.of(Set.of());
        if (bands.isEmpty()) return Optional.empty();
        int lo = from == null ? 0 : from;
        // Open upwards: up to the oldest band's end (Musterstadt 150, above any age a valid birth year gives).
        int hi = to != null ? to : bands.stream().mapToInt(CityVocabulary.AgeBandRange::to).max().getAsInt();
        if (lo > hi) return Optional.empty();
        java.util.Set<String> chosen = new java.util.HashSet<>();
        boolean starts = false, ends = false;
        int covered = 0;
        for (CityVocabulary.AgeBandRange band : bands) {
            if (band.from() == lo) starts = true;
            if (band.to() == hi) ends = true;
            if (band.from() >= lo && band.to() <= hi) {
                chosen.add(band.band());
                covered += band.to() - band.from() + 1;
            }
        }
        // Only an exact tiling of the rule's ages by bands is a set of cells; a gap or a cut band is not.
        return starts && ends && covered == hi - lo + 1 ? Optional.of(Set.copyOf(chosen)) : Optional.empty();
    }
}
