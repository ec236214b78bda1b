package de.prokommun.insights.simulator.city;

import de.prokommun.insights.city.City;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** The city configuration (cities/&lt;city&gt;/city.json): id, time zone, districts by postcode, age bands. */
public final class CityModel {

    public record District(String postcode, String name) {}

    public record AgeBand(String band, int from, int to) {
        public boolean contains(int age) { return age >= from && age <= to; }
    }

    private static final String FILE = de.prokommun.insights.city.CityFiles.CITY_JSON;

    private final String id;
    private final String name;
    private final ZoneId timeZone;
    private final List<District> districts;
    private final List<AgeBand> ageBands;

    public CityModel(String id, String name, ZoneId timeZone, List<District> districts, List<AgeBand> ageBands) {
        if (districts.isEmpty()) throw new IllegalArgumentException(FILE + ": 'districts' must not be empty");
        this.id = id;
        this.name = name;
        this.timeZone = timeZone;
        this.districts = List.copyOf(districts);
        this.ageBands = List.copyOf(ageBands);
    }

    /** The city as the city module reads city.json; the simulator's stream also needs 5-digit postcodes. */
    public static CityModel load(CityFiles files) {
        City city = files.city();
        List<District> districts = new ArrayList<>();
        // field order of the file is kept: district indices are part of the deterministic stream
        city.districts().forEach((postcode, name) -> {
            if (!postcode.matches("\\d{5}")) {
                throw new IllegalArgumentException(FILE + ": districts key '" + postcode + "' is not a 5-digit postcode");
            }
            districts.add(new District(postcode, name));
        });
        List<AgeBand> bands = city.ageBands().stream().map(b -> new AgeBand(b.band(), b.from(), b.to())).toList();
        return new CityModel(city.id(), city.name(), city.zone(), districts, bands);
    }

    public String id() { return id; }
    public String name() { return name; }
    public ZoneId timeZone() { return timeZone; }
    public List<District> districts() { return districts; }
    public List<AgeBand> ageBands() { return ageBands; }

    public District district(String postcode) {
        for (District d : districts) if (d.postcode().equals(postcode)) return d;
        throw new IllegalArgumentException("postcode " + postcode + " is not a district of " + id);
    }

    public int districtIndex(String postcode) {
        for (int i = 0; i < districts.size(); i++) if (districts.get(i).postcode().equals(postcode)) return i;
        throw new IllegalArgumentException("postcode " + postcode + " is not a district of " + id);
    }

    public AgeBand ageBand(int age) {
        for (AgeBand b : ageBands) if (b.contains(age)) return b;
        throw new IllegalArgumentException("no age band of " + id + " contains age " + age);
    }
}
