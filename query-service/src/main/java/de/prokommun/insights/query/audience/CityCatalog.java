package de.prokommun.insights.query.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The vocabularies of the cities under one directory ({@code <dir>/<city>/city.json} and
 * {@code personas.json}, {@code taxonomy.json}), read once per city and kept.
 */
public final class CityCatalog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CITY_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final Path citiesDir;
    private final Map<String, CityVocabulary> loaded = new ConcurrentHashMap<>();

    public CityCatalog(Path citiesDir) {
        this.citiesDir = citiesDir;
    }

    /** The city's vocabulary, or empty if the city is not configured. */
    public Optional<CityVocabulary> city(String city) {
        if (city == null || !CITY_ID.matcher(city).matches()) return Optional.empty();
        if (!Files.isRegularFile(citiesDir.resolve(city).resolve("city.json"))) return Optional.empty();
        return Optional.of(loaded.computeIfAbsent(city, this::load));
    }

    private CityVocabulary load(String city) {
        Path dir = citiesDir.resolve(city);
        try {
            JsonNode cityJson = JSON.readTree(dir.resolve("city.json").toFile());
            List<String> districts = new ArrayList<>(new LinkedHashSet<>(textValues(cityJson.path("districts"))));
            List<String> bands = new ArrayList<>();
            List<CityVocabulary.AgeBandRange> ranges = new ArrayList<>();
            cityJson.path("ageBands").forEach(b -> {
                bands.add(b.path("band").asText());
                if (b.hasNonNull("from") && b.hasNonNull("to")) {
                    ranges.add(new CityVocabulary.AgeBandRange(b.path("band").asText(), b.path("from").asInt(),
                            b.path("to").asInt()));
                }
            });
            // Purchases older than the retention are gone, so a last purchase can be at most that old (plus
            // the running year, as retention is counted in whole years).
            Integer retentionDays = cityJson.path("retention").hasNonNull("purchasesYears")
                    ? (cityJson.path("retention").path("purchasesYears").asInt() + 1) * 366 : null;
            List<String> published = textValues(cityJson.path("publishedInterests")).stream()
                    .map(i -> i.strip().toLowerCase(java.util.Locale.ROOT)).distinct().toList();
            Path personasFile = dir.resolve("personas.json");
            JsonNode personasJson = Files.isRegularFile(personasFile) ? JSON.readTree(personasFile.toFile()) : null;
            List<String> personas = personasJson != null ? personaNames(personasJson) : List.of();
            Path taxonomyFile = dir.resolve("taxonomy.json");
            JsonNode taxonomyJson = Files.isRegularFile(taxonomyFile) ? JSON.readTree(taxonomyFile.toFile()) : null;
            CategoryTaxonomy taxonomy = taxonomyJson != null ? CategoryTaxonomy.of(taxonomyJson) : CategoryTaxonomy.EMPTY;
            return new CityVocabulary(city, ZoneId.of(cityJson.path("timeZone").asText("UTC")), districts, bands,
                    personas, taxonomy, ranges.size() == bands.size() ? ranges : List.of(), published, retentionDays,
                    CityLabels.of(taxonomyJson, personasJson),
                    personasJson == null || ranges.size() != bands.size() ? Map.of() : cubePersonas(personasJson, ranges));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the configuration of city " + city + " in " + dir, e);
        }
    }

    /**
     * The personas whose rule is nothing but an age range aligned to the bands, household types and genders (one
     * rule per persona name; a name with several rules or any other condition — interests, activity, anyOf — is
     * not defined by the cube). Conditions are read as the profile builder reads them (flink-jobs PersonaRules).
     */
    static Map<String, CubePersona> cubePersonas(JsonNode root, List<CityVocabulary.AgeBandRange> bands) {
        JsonNode list = root.has("personas") ? root.get("personas") : root;
        if (!list.isArray()) return Map.of();
        Map<String, Integer> rulesPerName = new java.util.HashMap<>();
        Map<String, CubePersona> defined = new java.util.LinkedHashMap<>();
        for (JsonNode rule : list) {
            if (!rule.isObject()) continue;
            String name = null;
            for (String key : List.of("name", "persona", "id")) {
                if (rule.hasNonNull(key)) { name = rule.get(key).asText(); break; }
            }
            if (name == null) continue;
            rulesPerName.merge(name, 1, Integer::sum);
            Optional<CubePersona> definition = cubeDefinition(rule, bands);
            if (definition.isPresent()) defined.put(name, definition.get());
        }
        defined.keySet().removeIf(n -> rulesPerName.get(n) > 1);
        return defined;
    }

    private static Optional<CubePersona> cubeDefinition(JsonNode rule, List<CityVocabulary.AgeBandRange> bands) {
        java.util.Set<String> known = java.util.Set.of("name", "persona", "id", "comment", "label", "age", "householdTypes", "genders");
        for (java.util.Iterator<String> it = rule.fieldNames(); it.hasNext(); ) {
            if (!known.contains(it.next())) return Optional.empty();
        }
        JsonNode age = rule.path("age");
        if (!age.isMissingNode() && !(age.isObject() && onlyBounds(age))) return Optional.empty();
        Integer from = age.hasNonNull("from") ? age.get("from").asInt() : null;
        Integer to = age.hasNonNull("to") ? age.get("to").asInt() : null;
        if (age.isObject() && from == null && to == null) return Optional.empty();
        Optional<java.util.Set<String>> ageBands = CubePersona.bandsOf(bands, from, to);
        if (ageBands.isEmpty()) return Optional.empty();
        List<String> households = textValues(rule.path("householdTypes")).stream()
                .map(h -> h.toUpperCase(java.util.Locale.ROOT)).toList();
        List<String> genders = textValues(rule.path("genders")).stream()
                .map(g -> g.toUpperCase(java.util.Locale.ROOT)).toList();
        // An empty list in a rule matches nobody in the profile builder; the cube cannot say "nobody" by omission.
        if (rule.has("householdTypes") && households.isEmpty() || rule.has("genders") && genders.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CubePersona(ageBands.get(), new java.util.HashSet<>(genders), new java.util.HashSet<>(households)));
    }

    private static boolean onlyBounds(JsonNode age) {
        for (java.util.Iterator<String> it = age.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("from") && !f.equals("to")) return false;
            if (!age.get(f).isIntegralNumber()) return false;
        }
        return true;
    }

    private static List<String> textValues(JsonNode node) {
        List<String> values = new ArrayList<>();
        node.forEach(v -> values.add(v.asText()));
        return values;
    }

    /**
     * Persona names from personas.json: an array of rules (objects naming the persona by "name", "persona"
     * or "id", or plain strings), possibly wrapped in {"personas": ...}; an object keyed by persona also works.
     */
    static List<String> personaNames(JsonNode root) {
        JsonNode list = root.has("personas") ? root.get("personas") : root;
        LinkedHashSet<String> names = new LinkedHashSet<>();
        if (list.isObject() && !list.has("name") && !list.has("persona") && !list.has("id")) {
            list.fieldNames().forEachRemaining(names::add);
        } else {
            for (JsonNode rule : list) {
                if (rule.isTextual()) names.add(rule.asText());
                else for (String key : List.of("name", "persona", "id")) {
                    if (rule.hasNonNull(key)) { names.add(rule.get(key).asText()); break; }
                }
            }
        }
        return new ArrayList<>(names);
    }
}
