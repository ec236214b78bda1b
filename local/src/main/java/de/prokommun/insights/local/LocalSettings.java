package de.prokommun.insights.local;

import de.prokommun.insights.city.CityFiles;
import de.prokommun.insights.config.CommonConfig;
import de.prokommun.insights.config.Settings;
import de.prokommun.insights.query.QueryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Where the local mode keeps each component's files, derived from the data directory. */
public final class LocalSettings {
    private LocalSettings() {}

    public static Path participantsFile(Path dataDir) {
        return dataDir.resolve("participants.json");
    }

    /** The repository's cities/ directory: configured, or found upwards from the working directory. */
    public static Path citiesDir(Settings settings) {
        if (settings.isSet(CommonConfig.CITIES_DIR)) return Path.of(settings.get(CommonConfig.CITIES_DIR)).toAbsolutePath();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("cities"))) return dir.resolve("cities");
        }
        throw new IllegalStateException("cannot find the cities/ directory; set " + CommonConfig.CITIES_DIR.name());
    }

    /**
     * A city other than the default keeps its data in {@code .local-<city>} unless a data directory is set: its
     * participants, API keys, pseudonym secret, Kafka topics, Pinot tables and Flink state are its own, and starting
     * Musterstadt again finds Musterstadt's {@code .local} untouched.
     */
    public static Settings withCityDataDir(Settings settings) {
        String city = settings.get(LocalConfig.CITY);
        if (settings.isSet(LocalConfig.DATA_DIR) || city.equals(LocalConfig.CITY.defaultValue())) return settings;
        return settings.with(LocalConfig.DATA_DIR, LocalConfig.DATA_DIR.defaultValue() + "-" + String.join("-", cities(settings)));
    }

    /** The cities the system serves ({@code local.city}: one name or several separated by commas), first one first. */
    public static List<String> cities(Settings settings) {
        List<String> cities = new ArrayList<>();
        for (String name : settings.get(LocalConfig.CITY).split(",")) {
            String city = name.strip();
            if (city.isEmpty()) throw new IllegalArgumentException(LocalConfig.CITY.name() + " (--city): an empty city name in '"
                    + settings.get(LocalConfig.CITY) + "'");
            if (cities.contains(city)) throw new IllegalArgumentException(LocalConfig.CITY.name() + " (--city): '" + city
                    + "' is named twice");
            cities.add(city);
        }
        return cities;
    }

    /** The city the demo portal and the printed examples use: the first one named. */
    public static String firstCity(Settings settings) {
        return cities(settings).get(0);
    }

    /**
     * The city's directory under cities/, read once through the city module so that a broken city file stops the
     * start with the file and field named; an unknown city is refused naming the cities that exist.
     */
    public static Path cityDir(Path citiesDir, String city) {
        if (CityFiles.find(citiesDir, city).isPresent()) return citiesDir.resolve(city);
        throw new IllegalArgumentException(LocalConfig.CITY.name() + " (--city): no city '" + city + "' in " + citiesDir
                + " (known: " + String.join(", ", CityFiles.ids(citiesDir)) + ")");
    }

    public static Settings forDataDir(Settings settings, Path dataDir, Path citiesDir, String city) {
        Map<String, String> values = new HashMap<>();
        values.put(CommonConfig.PARTICIPANTS_FILE.name(), participantsFile(dataDir).toString());
        values.put(CommonConfig.CITIES_DIR.name(), citiesDir.toString());
        // One city: its policy file; several: unset, so that the query service loads every city's, as a deployment does.
        if (!city.contains(",")) {
            values.put(QueryConfig.PRIVACY_POLICY_FILE.name(), citiesDir.resolve(city).resolve("privacy.json").toString());
        }
        values.put(QueryConfig.AUDIT_LOG.name(), dataDir.resolve("privacy/audit.jsonl").toString());
        values.put(QueryConfig.BUDGET_LEDGER.name(), dataDir.resolve("privacy/budget-ledger.jsonl").toString());
        values.put(LocalConfig.DATA_DIR.name(), dataDir.toString());
        return settings.with(values);
    }

    /**
     * What the local mode's query service needs besides the shared settings: its city-wide privacy journal and
     * publications in the data directory, and the local defaults below unless set. The city-wide cap is not
     * overridden: it is enforced, as in every deployment.
     */
    public static Settings forQueryService(Settings settings, Path dataDir) {
        Map<String, String> values = new HashMap<>();
        if (!settings.isSet(QueryConfig.CITY_BUDGET)) {
            values.put(QueryConfig.CITY_BUDGET.name(), dataDir.resolve("privacy/city-budget.jsonl").toString());
        }
        if (!settings.isSet(QueryConfig.PUBLICATION_DIR)) {
            values.put(QueryConfig.PUBLICATION_DIR.name(), dataDir.resolve("privacy/publications").toString());
        }
        // the first publication follows the first profiles within a minute instead of a quarter of an hour
        if (!settings.isSet(QueryConfig.PUBLICATION_CHECK_INTERVAL)) {
            values.put(QueryConfig.PUBLICATION_CHECK_INTERVAL.name(), "PT1M");
        }
        // The city-wide cap is enforced here as everywhere (QueryConfig's default): the dashboards read the
        // publication on load and refresh, so only questions a merchant asks explicitly are paid ad hoc.
        return settings.with(values);
    }
}
