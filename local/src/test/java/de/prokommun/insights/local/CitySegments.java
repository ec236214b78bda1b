package de.prokommun.insights.local;

import de.prokommun.insights.city.City;
import de.prokommun.insights.city.CityFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The segment model the oracles share: a resident as a test registered him, and his age band (in the year ages
 * are computed for) and home district as the city's city.json defines them, read through the city module (the one
 * reader of the city's files: an oracle that parsed them itself could agree with a second reading, not the system's).
 */
final class CitySegments {

    record Band(String label, int from, int to) {}

    /** A resident as registered: what his segment comes from, his analytics consent, and whether he was erased. */
    static class Resident {
        final String ref;
        final int birthYear;
        final String gender;
        final String postcode;
        final String household;
        final boolean consent;
        boolean erased;

        Resident(String ref, int birthYear, String gender, String postcode, String household, boolean consent) {
            this.ref = ref;
            this.birthYear = birthYear;
            this.gender = gender;
            this.postcode = postcode;
            this.household = household;
            this.consent = consent;
        }

        boolean live() {
            return consent && !erased;
        }
    }

    private final Map<String, String> districtOf;
    private final List<Band> bands;
    final int year;

    private CitySegments(Map<String, String> districtOf, List<Band> bands, int year) {
        this.districtOf = districtOf;
        this.bands = bands;
        this.year = year;
    }

    /** The districts and age bands of {@code citiesDir/city/city.json}, with ages computed for {@code year}. */
    static CitySegments of(Path citiesDir, String city, int year) {
        return of(CityFiles.find(citiesDir, city).orElseThrow(), year);
    }

    /** The districts and age bands of {@code city}, with ages computed for {@code year}. */
    static CitySegments of(City city, int year) {
        List<Band> bands = city.ageBands().stream().map(b -> new Band(b.band(), b.from(), b.to())).toList();
        return new CitySegments(city.districts(), bands, year);
    }

    /** Postcode → district name. */
    Map<String, String> districtOf() {
        return districtOf;
    }

    String ageBand(Resident p) {
        return bandOf(year - p.birthYear);
    }

    /** The band's label, "null" (as Pinot reads a null string) for an age outside every band. */
    String bandOf(int age) {
        return bands.stream().filter(b -> age >= b.from() && age <= b.to()).map(Band::label).findFirst().orElse("null");
    }

    String homeDistrict(Resident p) {
        return districtOf.getOrDefault(p.postcode, CityFiles.UNKNOWN_DISTRICT);
    }
}
