package de.prokommun.insights.city;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one reader of {@code cities/<city>/*.json} (city.json, personas.json, taxonomy.json,
 * participants-catalogue.json) for the Flink jobs, the query service and the resident API. Strict: an unknown
 * field, a missing required one or one of the wrong kind is an error naming the file and the field. One set of
 * defaults, here: a city.json without "timeZone" is in {@value #DEFAULT_TIME_ZONE}; a missing personas.json,
 * taxonomy.json or participants-catalogue.json means no personas, categories or participants. Any directory with a
 * city.json is a city (Musterstadt, Jena, ...). privacy.json is read by the privacy module, not here.
 */
public final class CityFiles {

    /** The zone of a city.json without "timeZone": proKommun's cities are German. */
    public static final String DEFAULT_TIME_ZONE = "Europe/Berlin";
    /** The district of a postcode the city does not list (a resident from a neighbouring town). */
    public static final String UNKNOWN_DISTRICT = "unbekannt";
    public static final String CITY_JSON = "city.json";
    public static final String PERSONAS_JSON = "personas.json";
    public static final String TAXONOMY_JSON = "taxonomy.json";
    public static final String PARTICIPANTS_CATALOGUE_JSON = "participants-catalogue.json";

    private static final Pattern CITY_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final Set<String> CITY_FIELDS = Set.of("city", "name", "timeZone", "retention", "districts",
            "publishedInterests", "interests", "ageBands");
    private static final Set<String> CONDITION_FIELDS = Set.of("age", "householdTypes", "genders", "interestsAny",
            "activity", "anyOf");
    private static final Set<String> PERSONA_FIELDS = union(CONDITION_FIELDS, Set.of("persona", "label"));
    /** The catalogue also describes the simulator's synthetic businesses; those fields are the simulator's to read. */
    private static final Set<String> CATALOGUE_FIELDS = Set.of("city", "sizes", "hours", "kinds", "participants",
            "employers", "portal", "operator");
    private static final Set<String> PARTICIPANT_FIELDS = Set.of("id", "name", "district", "kind", "size",
            "productGroups", "newsletter", "bonus");
    private static final Set<String> TAXONOMY_FIELDS = Set.of("taxonomy", "version", "categories");
    private static final Set<String> EMPLOYER_FIELDS = Set.of("id", "name", "weight");

    private CityFiles() {}

    /** Whether {@code id} can name a city directory (lower case, no path separators). */
    public static boolean isCityId(String id) {
        return id != null && CITY_ID.matcher(id).matches();
    }

    /** Every city under {@code citiesDir}: each subdirectory with a city.json, by city id. */
    public static Map<String, City> readAll(Path citiesDir) {
        if (!Files.isDirectory(citiesDir)) {
            throw new CityFileException("cities directory " + citiesDir.toAbsolutePath() + " does not exist");
        }
        Map<String, City> cities = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(citiesDir)) {
            for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve(CITY_JSON))).sorted().toList()) {
                City city = read(dir);
                cities.put(city.id(), city);
            }
        } catch (IOException e) {
            throw new CityFileException("cannot list " + citiesDir + ": " + e.getMessage(), e);
        }
        return cities;
    }

    /** The city {@code id} under {@code citiesDir}; empty when the id is malformed or the city has no city.json. */
    public static Optional<City> find(Path citiesDir, String id) {
        if (!isCityId(id) || !Files.isRegularFile(citiesDir.resolve(id).resolve(CITY_JSON))) return Optional.empty();
        return Optional.of(read(citiesDir.resolve(id)));
    }

    /** One city directory; its name must be the city id of its city.json. */
    public static City read(Path dir) {
        return read(CitySource.directory(dir));
    }

    /** The city ids under {@code citiesDir}: its subdirectories with a city.json, sorted (none are parsed). */
    public static List<String> ids(Path citiesDir) {
        if (!Files.isDirectory(citiesDir)) return List.of();
        try (Stream<Path> dirs = Files.list(citiesDir)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(CITY_JSON))).map(d -> d.getFileName().toString())
                    .sorted().toList();
        } catch (IOException e) {
            throw new CityFileException("cannot list " + citiesDir + ": " + e.getMessage(), e);
        }
    }

    /** One city from a directory or the class path; the source's name must be the city id of its city.json. */
    public static City read(CitySource source) {
        JsonFields city = JsonFields.of(required(source, CITY_JSON), source.describe(CITY_JSON), "").only(CITY_FIELDS);
        String id = city.text("city");
        String dirName = source.name();
        if (!isCityId(id)) throw city.error("city", "must be a lower-case id of letters, digits, '-' and '_': " + id);
        if (!id.equals(dirName)) throw city.error("city", "is '" + id + "' but the directory is '" + dirName + "'");
        Map<String, String> districts = districts(city);
        List<AgeBand> bands = ageBands(city);
        JsonFields catalogueRoot = catalogueRoot(source, id);
        JsonFields taxonomy = tree(source, TAXONOMY_JSON).map(t -> JsonFields.of(t, source.describe(TAXONOMY_JSON), ""))
                .map(t -> t.only(TAXONOMY_FIELDS)).orElse(null);
        return new City(id, city.has("name") ? city.text("name") : id, timeZone(city), districts, bands,
                lowerCase(Optional.ofNullable(city.optionalTexts("publishedInterests")).orElse(List.of())),
                retentionYears(city), interestNames(city),
                tree(source, PERSONAS_JSON).map(p -> personas(JsonFields.of(p, source.describe(PERSONAS_JSON), ""))).orElse(List.of()),
                taxonomy == null ? List.of() : categories(taxonomy),
                taxonomy == null ? null : taxonomyName(taxonomy),
                catalogueRoot == null ? List.of() : participants(catalogueRoot, "participants", PARTICIPANT_FIELDS),
                catalogueRoot == null ? List.of() : participants(catalogueRoot, "employers", EMPLOYER_FIELDS),
                catalogueRoot == null ? List.of() : desks(catalogueRoot));
    }

    /**
     * The simulator's part of the city's participants-catalogue.json (sizes, opening hours, kinds of business, each
     * participant's kind, size and product groups, portal, operator, employers' weights), checked as strictly as the
     * rest; a city without a catalogue is an error naming the file.
     */
    public static Catalogue catalogue(CitySource source) {
        JsonFields city = JsonFields.of(required(source, CITY_JSON), source.describe(CITY_JSON), "");
        JsonFields root = catalogueRoot(source, city.text("city"));
        if (root == null) throw new CityFileException(source.describe(PARTICIPANTS_CATALOGUE_JSON) + ": is missing");
        return CatalogueReader.read(root);
    }

    /**
     * A file of the city directory that this module does not interpret (the simulator's population.json and
     * behaviour.json): its JSON tree, parsed as strictly as the city's own files; a missing file is an error naming it.
     */
    public static JsonNode json(CitySource source, String fileName) {
        return required(source, fileName);
    }

    /** The personas of a personas.json text (tests and tools), checked as {@link #read} checks the file. */
    public static List<Persona> parsePersonas(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new CityFileException(source + ": not readable JSON: " + e.getMessage(), e);
        }
        return personas(JsonFields.of(root, source, ""));
    }

    // ---- city.json -------------------------------------------------------------------------------------------

    private static String timeZone(JsonFields city) {
        if (!city.has("timeZone")) return DEFAULT_TIME_ZONE;
        String zone = city.text("timeZone");
        try {
            return ZoneId.of(zone).getId();
        } catch (DateTimeException e) {
            throw city.error("timeZone", "is not a time zone id (e.g. Europe/Berlin): " + zone);
        }
    }

    private static Map<String, String> districts(JsonFields city) {
        JsonFields districts = city.object("districts");
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = districts.fieldNames(); it.hasNext(); ) {
            String postcode = it.next();
            if (postcode.equals("comment")) continue;
            out.put(postcode.strip(), districts.text(postcode));
        }
        if (out.isEmpty()) throw city.error("districts", "must name at least one postcode");
        return out;
    }

    private static List<AgeBand> ageBands(JsonFields city) {
        List<AgeBand> bands = new ArrayList<>();
        List<JsonNode> nodes = city.array("ageBands");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonFields b = city.element("ageBands", i, nodes.get(i)).only(Set.of("band", "from", "to"));
            AgeBand band = new AgeBand(b.text("band"), b.integer("from"), b.integer("to"));
            if (band.from() < 0 || band.from() > band.to()) throw b.error("to", "must be at least 'from' (" + band.from() + ") and 'from' at least 0");
            if (!names.add(band.band())) throw b.error("band", "'" + band.band() + "' is defined twice");
            for (AgeBand other : bands) {
                if (band.from() <= other.to() && other.from() <= band.to()) {
                    throw b.error("from", "band " + band.band() + " overlaps band " + other.band());
                }
            }
            bands.add(band);
        }
        if (bands.isEmpty()) throw city.error("ageBands", "must hold at least one band");
        return bands;
    }

    /**
     * city.json "interests": interest id → {de, en}, the names of the interests the city's portal offers (a resident
     * may declare others; those have no name and are shown as declared).
     */
    private static Map<String, Label> interestNames(JsonFields city) {
        JsonFields interests = city.optionalObject("interests");
        Map<String, Label> out = new LinkedHashMap<>();
        if (interests == null) return out;
        for (var it = interests.fieldNames(); it.hasNext(); ) {
            String id = it.next();
            if (id.equals("comment")) continue;
            if (!id.equals(id.toLowerCase(Locale.ROOT))) throw interests.error(id, "must be a lower-case interest id");
            out.put(id, label(interests, id));
        }
        return out;
    }

    private static int retentionYears(JsonFields city) {
        JsonFields retention = city.optionalObject("retention");
        if (retention == null) return 0;
        retention.only(Set.of("purchasesYears"));
        int years = retention.integer("purchasesYears");
        if (years < 1) throw retention.error("purchasesYears", "must be a positive whole number of years");
        return years;
    }

    // ---- personas.json ---------------------------------------------------------------------------------------

    private static List<Persona> personas(JsonFields root) {
        root.only(Set.of("personas"));
        List<JsonNode> nodes = root.array("personas");
        List<Persona> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonFields p = root.element("personas", i, nodes.get(i)).only(PERSONA_FIELDS);
            String id = p.text("persona");
            if (!ids.add(id)) throw p.error("persona", "'" + id + "' is defined twice");
            out.add(new Persona(id, label(p, "label"), condition(p)));
        }
        return out;
    }

    private static Label label(JsonFields owner, String field) {
        JsonFields label = owner.optionalObject(field);
        if (label == null) return null;
        label.only(Set.of("de", "en"));
        return new Label(label.text("de"), label.optionalText("en"));
    }

    private static PersonaCondition condition(JsonFields block) {
        Integer from = null, to = null;
        JsonFields age = block.optionalObject("age");
        if (age != null) {
            age.only(Set.of("from", "to"));
            from = age.optionalInteger("from");
            to = age.optionalInteger("to");
            if (from == null && to == null) throw block.error("age", "needs 'from' and/or 'to'");
            if (from != null && to != null && from > to) throw age.error("from", "must not be above 'to'");
        }
        Activity activity = null;
        JsonFields a = block.optionalObject("activity");
        if (a != null) {
            a.only(Set.of("signals", "atLeast", "withinDays"));
            List<String> signals = lowerCase(Optional.ofNullable(a.optionalTexts("signals"))
                    .orElseThrow(() -> a.error("signals", "is required")));
            if (signals.isEmpty()) throw a.error("signals", "must name at least one signal");
            int atLeast = a.has("atLeast") ? a.integer("atLeast") : 1;
            if (atLeast < 1) throw a.error("atLeast", "must be at least 1");
            int within = a.integer("withinDays");
            if (within < 1) throw a.error("withinDays", "must be at least 1");
            activity = new Activity(signals, atLeast, within);
        }
        List<PersonaCondition> anyOf = null;
        if (block.has("anyOf")) {
            anyOf = new ArrayList<>();
            List<JsonNode> nodes = block.array("anyOf");
            if (nodes.isEmpty()) throw block.error("anyOf", "must hold at least one block");
            for (int i = 0; i < nodes.size(); i++) anyOf.add(condition(block.element("anyOf", i, nodes.get(i)).only(CONDITION_FIELDS)));
        }
        List<String> interests = block.optionalTexts("interestsAny");
        return new PersonaCondition(from, to, upperCase(block.optionalTexts("householdTypes")),
                upperCase(block.optionalTexts("genders")), interests == null ? null : lowerCase(interests), activity, anyOf);
    }

    // ---- taxonomy.json ---------------------------------------------------------------------------------------

    private static List<Category> categories(JsonFields root) {
        List<JsonNode> nodes = root.array("categories");
        List<Category> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonFields top = root.element("categories", i, nodes.get(i)).only(Set.of("id", "name", "nameEn", "sector", "children"));
            Category parent = category(top, top.optionalText("sector"), List.of(), ids);
            List<Category> children = new ArrayList<>();
            if (top.has("children")) {
                List<JsonNode> childNodes = top.array("children");
                for (int j = 0; j < childNodes.size(); j++) {
                    JsonFields child = top.element("children", j, childNodes.get(j)).only(Set.of("id", "name", "nameEn"));
                    children.add(category(child, null, List.of(), ids));
                }
            }
            out.add(new Category(parent.id(), parent.name(), parent.sector(), children));
        }
        return out;
    }

    private static Category category(JsonFields node, String sector, List<Category> children, Set<String> ids) {
        String id = node.text("id");
        if (!id.equals(id.toLowerCase(Locale.ROOT))) throw node.error("id", "must be lower case: " + id);
        if (!ids.add(id)) throw node.error("id", "'" + id + "' is defined twice");
        return new Category(id, new Label(node.text("name"), node.optionalText("nameEn")), sector, children);
    }

    /** taxonomy.json's "taxonomy" and "version" (1 when absent), as ingestion serves them to participants. */
    private static TaxonomyName taxonomyName(JsonFields root) {
        int version = root.has("version") ? root.integer("version") : 1;
        if (version < 1) throw root.error("version", "must be at least 1");
        return new TaxonomyName(root.has("taxonomy") ? root.text("taxonomy") : "taxonomy", version);
    }

    // ---- participants-catalogue.json -------------------------------------------------------------------------

    private static List<Participant> participants(JsonFields root, String field, Set<String> known) {
        if (!root.has(field)) return List.of();
        List<JsonNode> nodes = root.array(field);
        List<Participant> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonFields p = root.element(field, i, nodes.get(i)).only(known);
            String id = p.text("id");
            if (!ids.add(id)) throw p.error("id", "'" + id + "' is listed twice");
            out.add(new Participant(id, p.optionalText("name"), known.contains("district") ? p.optionalText("district") : null));
        }
        return out;
    }

    /** The catalogue's portal and operator, those it names (their other fields are the simulator's). */
    private static List<Participant> desks(JsonFields root) {
        List<Participant> out = new ArrayList<>();
        for (String field : List.of("portal", "operator")) {
            JsonFields desk = root.optionalObject(field);
            if (desk != null) out.add(new Participant(desk.only(Set.of("id", "name", "newsletter")).text("id"), desk.optionalText("name"), null));
        }
        return out;
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static JsonFields catalogueRoot(CitySource source, String cityId) {
        JsonFields root = tree(source, PARTICIPANTS_CATALOGUE_JSON)
                .map(c -> JsonFields.of(c, source.describe(PARTICIPANTS_CATALOGUE_JSON), "").only(CATALOGUE_FIELDS))
                .orElse(null);
        if (root != null && root.has("city") && !root.text("city").equals(cityId)) {
            throw root.error("city", "is '" + root.text("city") + "' but city.json says '" + cityId + "'");
        }
        return root;
    }

    private static JsonNode required(CitySource source, String fileName) {
        return tree(source, fileName).orElseThrow(
                () -> new CityFileException(source.describe(fileName) + ": is missing (in " + source + ")"));
    }

    private static Optional<JsonNode> tree(CitySource source, String fileName) {
        try {
            Optional<InputStream> in = source.open(fileName);
            if (in.isEmpty()) return Optional.empty();
            try (InputStream stream = in.get()) {
                return Optional.of(JSON.readTree(stream));
            }
        } catch (IOException e) {
            throw new CityFileException(source.describe(fileName) + ": not readable JSON: " + e.getMessage(), e);
        }
    }

    private static List<String> lowerCase(List<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).distinct().toList();
    }

    private static List<String> upperCase(List<String> values) {
        return values == null ? null : values.stream().map(v -> v.toUpperCase(Locale.ROOT)).distinct().toList();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }
}
