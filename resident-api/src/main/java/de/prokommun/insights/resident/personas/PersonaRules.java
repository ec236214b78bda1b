package de.prokommun.insights.resident.personas;

import de.prokommun.insights.city.Persona;
import de.prokommun.insights.resident.data.CityFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The persona rules of each city (personas.json), as the city module read them. */
public final class PersonaRules {

    private final CityFiles cities;

    public PersonaRules(CityFiles cities) {
        this.cities = cities;
    }

    public PersonaRules(Path citiesDir) {
        this(new CityFiles(citiesDir));
    }

    /** The city's rules; empty when the city has no personas.json. */
    public List<Persona> of(String city) {
        return cities.definition(city).map(de.prokommun.insights.city.City::personas).orElse(List.of());
    }

    public Optional<Persona> rule(String city, String persona) {
        return of(city).stream().filter(r -> r.id().equals(persona)).findFirst();
    }
}
