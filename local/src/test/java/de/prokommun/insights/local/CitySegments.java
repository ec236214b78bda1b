package de.prokommun.insights.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The segment model the oracles share: a resident as a test registered him, and his age band (in the year ages
 * are computed for) and home district as the city's city.json defines them.
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
    static CitySegments of(Path citiesDir, String city, int year) throws IOException {
        JsonNode cityJson = new ObjectMapper().readTree(citiesDir.resolve(city).resolve("city.json").toFile());
        Map<String, String> districts = new LinkedHashMap<>();
        cityJson.get("districts").fields().forEachRemaining(e -> districts.put(e.getKey(), e.getValue().asText()));
        List<Band> bands = new ArrayList<>();
        cityJson.get("ageBands").forEach(b -> bands.add(new Band(b.get("band").asText(), b.get("from").asInt(),
                b.get("to").asInt())));
        return new CitySegments(districts, bands, year);
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
        return districtOf.getOrDefault(p.postcode, "unbekannt");
    }
}
