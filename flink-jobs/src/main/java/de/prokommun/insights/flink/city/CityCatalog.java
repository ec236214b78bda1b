package de.prokommun.insights.flink.city;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.city.City;
import de.prokommun.insights.city.CityFiles;
import de.prokommun.insights.flink.profile.PersonaRules;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every city configured under the cities directory, as the jobs need it: an adapter over the city module's one
 * reader ({@link CityFiles}: city.json, personas.json, participants-catalogue.json) plus the per-person clamps of
 * privacy.json, the only part of that file the jobs read. Loaded once when a job is built and shipped with the
 * operators.
 */
public final class CityCatalog implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, CityConfig> cities;

    public CityCatalog(Map<String, CityConfig> cities) {
        this.cities = Map.copyOf(cities);
    }

    public static CityCatalog load(Path citiesDir) {
        Map<String, CityConfig> cities = new HashMap<>();
        CityFiles.readAll(citiesDir).forEach((id, city) -> cities.put(id, configOf(city, citiesDir.resolve(id))));
        return new CityCatalog(cities);
    }

    static CityConfig loadCity(Path dir) {
        return configOf(CityFiles.read(dir), dir);
    }

    private static CityConfig configOf(City city, Path dir) {
        List<AgeBands.Band> bands = city.ageBands().stream()
                .map(b -> new AgeBands.Band(b.band(), b.from(), b.to())).toList();
        return new CityConfig(city.id(), city.timeZone(), city.districts(), new AgeBands(bands),
                PersonaRules.of(city.personas()), clampsOf(dir), new PurchaseRetention(city.purchaseRetentionYears()),
                city.participantPlaces());
    }

    private static PersonMonthClamps clampsOf(Path dir) {
        Path file = dir.resolve(PersonMonthClamps.FILE_NAME);
        if (!Files.isRegularFile(file)) return PersonMonthClamps.DEFAULT;
        try {
            return PersonMonthClamps.of(JSON.readTree(file.toFile()), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public Optional<CityConfig> city(String name) {
        return Optional.ofNullable(name == null ? null : cities.get(name));
    }

    public java.util.Set<String> names() { return cities.keySet(); }
}
