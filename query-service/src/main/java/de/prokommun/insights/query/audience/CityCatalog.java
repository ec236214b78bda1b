package de.prokommun.insights.query.audience;

import de.prokommun.insights.city.City;
import de.prokommun.insights.city.CityFiles;
import de.prokommun.insights.city.Persona;
import de.prokommun.insights.city.PersonaCondition;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The vocabularies of the cities under one directory: an adapter over the city module's one reader
 * ({@link CityFiles}), read once per city and kept.
 */
public final class CityCatalog {

    private final Path citiesDir;
    private final Map<String, CityVocabulary> loaded = new ConcurrentHashMap<>();

    public CityCatalog(Path citiesDir) {
        this.citiesDir = citiesDir;
    }

    /** The city's vocabulary, or empty if the city is not configured. */
    public Optional<CityVocabulary> city(String city) {
        CityVocabulary known = city == null ? null : loaded.get(city);
        if (known != null) return Optional.of(known);
        return CityFiles.find(citiesDir, city).map(c -> loaded.computeIfAbsent(c.id(), id -> vocabularyOf(c)));
    }

    static CityVocabulary vocabularyOf(City city) {
        List<CityVocabulary.AgeBandRange> ranges = city.ageBands().stream()
                .map(b -> new CityVocabulary.AgeBandRange(b.band(), b.from(), b.to())).toList();
        // Purchases older than the retention are gone, so a last purchase can be at most that old (plus
        // the running year, as retention is counted in whole years).
        Integer retentionDays = city.purchaseRetentionYears() > 0 ? (city.purchaseRetentionYears() + 1) * 366 : null;
        return new CityVocabulary(city.id(), ZoneId.of(city.timeZone()), city.districtNames(),
                ranges.stream().map(CityVocabulary.AgeBandRange::band).toList(), city.personaIds(),
                CategoryTaxonomy.of(city), ranges, city.publishedInterests(), retentionDays, CityLabels.of(city),
                cubePersonas(city.personas(), ranges));
    }

    /**
     * The personas whose rule is nothing but an age range aligned to the bands, household types and genders (any
     * other condition — interests, activity, anyOf — is not defined by the cube). Conditions are read as the
     * profile builder reads them (flink-jobs PersonaRules, both from the city module).
     */
    static Map<String, CubePersona> cubePersonas(List<Persona> personas, List<CityVocabulary.AgeBandRange> bands) {
        Map<String, CubePersona> defined = new LinkedHashMap<>();
        for (Persona persona : personas) {
            cubeDefinition(persona.condition(), bands).ifPresent(d -> defined.put(persona.id(), d));
        }
        return defined;
    }

    private static Optional<CubePersona> cubeDefinition(PersonaCondition rule, List<CityVocabulary.AgeBandRange> bands) {
        if (!rule.onlyDemographic()) return Optional.empty();
        Optional<java.util.Set<String>> ageBands = CubePersona.bandsOf(bands, rule.ageFrom(), rule.ageTo());
        if (ageBands.isEmpty()) return Optional.empty();
        // An empty list in a rule matches nobody in the profile builder; the cube cannot say "nobody" by omission.
        if (rule.householdTypes() != null && rule.householdTypes().isEmpty()
                || rule.genders() != null && rule.genders().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CubePersona(ageBands.get(),
                new HashSet<>(rule.genders() == null ? List.of() : rule.genders()),
                new HashSet<>(rule.householdTypes() == null ? List.of() : rule.householdTypes())));
    }
}
