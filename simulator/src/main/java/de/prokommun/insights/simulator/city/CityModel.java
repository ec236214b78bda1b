package de.prokommun.insights.simulator.city;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The city configuration (cities/&lt;city&gt;/city.json): id, time zone, districts by postcode, age bands. */
public final class CityModel {

    public record District(String postcode, String name) {}

    public record AgeBand(String band, int from, int to) {
        public boolean contains(int age) { return age >= from && age <= to; }
    }

    private static final String FILE = "city.json";

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

    public static CityModel load(CityFiles files) {
        JsonNode root = files.read(FILE);
        List<District> districts = new ArrayList<>();
        JsonNode d = root.path("districts");
        // field order of the file is kept: district indices are part of the deterministic stream
        for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().matches("\\d{5}")) {
                throw new IllegalArgumentException(FILE + ": districts key '" + e.getKey() + "' is not a 5-digit postcode");
            }
            districts.add(new District(e.getKey(), e.getValue().asText()));
        }
        List<AgeBand> bands = new ArrayList<>();
        for (JsonNode b : root.path("ageBands")) {
            bands.add(new AgeBand(CityFiles.text(b, "band", FILE), CityFiles.integer(b, "from", FILE),
                    CityFiles.integer(b, "to", FILE)));
        }
        return new CityModel(CityFiles.text(root, "city", FILE), root.path("name").asText(root.path("city").asText()),
                ZoneId.of(CityFiles.text(root, "timeZone", FILE)), districts, bands);
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
