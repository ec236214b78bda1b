package de.prokommun.insights.privacy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.privacy.city.CityBudgetPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The disclosure rules of every city served, per role. Loaded from each city's {@code privacy.json}
 * (format in docs/PRIVACY.md); decimals are read exactly (0.15 stays 3/20), unknown fields are errors.
 */
public final class PrivacyPolicy {

    public static final String FILE_NAME = "privacy.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Set<String> TOP_FIELDS = Set.of("city", "timeZone", "roles", "clamps", "cityBudget", "dominance", "comment");
    private static final Set<String> ROLE_FIELDS = Set.of("mechanism", "epsilonPerQuestion", "delta", "minCellSize",
            "budget", "display", "sameAnswerWithinVersion", "comment");

    private final Map<String, CityPolicy> cities;

    private PrivacyPolicy(Map<String, CityPolicy> cities) {
        this.cities = Map.copyOf(cities);
    }

    public static PrivacyPolicy of(CityPolicy... cities) {
        Map<String, CityPolicy> map = new TreeMap<>();
        for (CityPolicy c : cities) {
            if (map.put(c.city(), c) != null) throw new IllegalArgumentException("city " + c.city() + " is configured twice");
        }
        return new PrivacyPolicy(map);
    }

    /** Every {@code <citiesDir>/<city>/privacy.json}; a city directory without one gets {@link PrivacyDefaults}. */
    public static PrivacyPolicy loadCities(Path citiesDir) {
        List<CityPolicy> list = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(citiesDir)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                Path file = dir.resolve(FILE_NAME);
                list.add(Files.exists(file) ? load(file) : PrivacyDefaults.city(dir.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list city directories in " + citiesDir, e);
        }
        return of(list.toArray(CityPolicy[]::new));
    }

    public static CityPolicy load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Parses one city's privacy.json; {@code source} names the file in error messages. */
    public static CityPolicy parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException(source + ": must be a JSON object");
        Fields f = new Fields(source, "", root, TOP_FIELDS);
        String city = f.text("city");
        ZoneId zone;
        String zoneText = f.optionalText("timeZone", PrivacyDefaults.TIME_ZONE.getId());
        try {
            zone = ZoneId.of(zoneText);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(source + ": timeZone is not a known time zone: " + zoneText);
        }
        SumClamps.of(root.get(SumClamps.FIELD), source); // validated here, read by SumClamps
        JsonNode rolesNode = f.object("roles");
        Map<AskerRole, RoleRules> roles = new EnumMap<>(AskerRole.class);
        for (Iterator<String> it = rolesNode.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            AskerRole role;
            try {
                role = AskerRole.valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": roles." + name + " is not a role (participant, operator)");
            }
            roles.put(role, role(source, "roles." + name + ".", rolesNode.get(name)));
        }
        CityBudgetPolicy cityBudget = cityBudget(source, f.optionalNested("cityBudget",
                Set.of("epsilon", "delta", "adHocShare", "accounts", "portions", "comment")));
        DominanceRule dominance = dominance(source, f.optionalNested("dominance",
                Set.of("n", "kPercent", "minParticipants", "operatorExempt", "comment")));
        try {
            return new CityPolicy(city, zone, roles, cityBudget, dominance);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static CityBudgetPolicy cityBudget(String source, Fields f) {
        if (f == null) return PrivacyDefaults.cityBudget();
        try {
            return new CityBudgetPolicy(f.optionalDecimal("epsilon", PrivacyDefaults.CITY_EPSILON),
                    f.optionalDecimal("delta", PrivacyDefaults.CITY_DELTA),
                    f.optionalDecimal("adHocShare", PrivacyDefaults.CITY_AD_HOC_SHARE),
                    f.optionalInt("accounts", PrivacyDefaults.CITY_AD_HOC_ACCOUNTS),
                    f.optionalInt("portions", PrivacyDefaults.CITY_AD_HOC_PORTIONS));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static DominanceRule dominance(String source, Fields f) {
        if (f == null) return PrivacyDefaults.dominance();
        try {
            return new DominanceRule(f.optionalInt("n", PrivacyDefaults.DOMINANCE_N),
                    f.optionalDecimal("kPercent", PrivacyDefaults.DOMINANCE_K_PERCENT),
                    f.optionalInt("minParticipants", PrivacyDefaults.DOMINANCE_MIN_PARTICIPANTS),
                    f.optionalBoolean("operatorExempt", PrivacyDefaults.DOMINANCE_OPERATOR_EXEMPT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static RoleRules role(String source, String prefix, JsonNode node) {
        if (!node.isObject()) throw new IllegalArgumentException(source + ": " + prefix.substring(0, prefix.length() - 1) + " must be an object");
        Fields f = new Fields(source, prefix, node, ROLE_FIELDS);
        String mechanismText = f.optionalText("mechanism", PrivacyDefaults.MECHANISM.name());
        Mechanism mechanism;
        try {
            mechanism = Mechanism.valueOf(mechanismText.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + prefix + "mechanism must be discrete-laplace or discrete-gaussian: " + mechanismText);
        }
        BigDecimal epsilon = f.decimal("epsilonPerQuestion");
        BigDecimal delta = f.optionalDecimal("delta", BigDecimal.ZERO);
        int k = f.optionalInt("minCellSize", PrivacyDefaults.MIN_CELL_SIZE);
        Fields budget = f.nested("budget", Set.of("day", "month"));
        BigDecimal day = budget.decimal("day");
        BigDecimal month = budget.decimal("month");
        Fields display = f.optionalNested("display", Set.of("significantDigits", "locale"));
        int digits = display == null ? PrivacyDefaults.SIGNIFICANT_DIGITS : display.optionalInt("significantDigits", PrivacyDefaults.SIGNIFICANT_DIGITS);
        String locale = display == null ? PrivacyDefaults.LOCALE.toLanguageTag() : display.optionalText("locale", PrivacyDefaults.LOCALE.toLanguageTag());
        boolean sameAnswer = f.optionalBoolean("sameAnswerWithinVersion", PrivacyDefaults.SAME_ANSWER_WITHIN_VERSION);
        try {
            return new RoleRules(mechanism, epsilon, delta, k, day, month,
                    new DisplayRule(digits, Locale.forLanguageTag(locale)), sameAnswer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + prefix + e.getMessage(), e);
        }
    }

    public CityPolicy city(String city) {
        CityPolicy policy = cities.get(city);
        if (policy == null) throw new IllegalArgumentException("asker.city has no privacy policy: " + city);
        return policy;
    }

    public RoleRules rules(String city, AskerRole role) {
        return city(city).rules(role);
    }

    public Set<String> cities() {
        return cities.keySet();
    }

    /** Field access that names the file and the field in every error. */
    private record Fields(String source, String prefix, JsonNode node, Set<String> allowed) {
        Fields {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!allowed.contains(name))
                    throw new IllegalArgumentException(source + ": " + prefix + name + " is not a known field (known: " + new java.util.TreeSet<>(allowed) + ")");
            }
        }

        private IllegalArgumentException error(String field, String reason) {
            return new IllegalArgumentException(source + ": " + prefix + field + " " + reason);
        }

        String text(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) throw error(field, "is required");
            if (!v.isTextual() || v.asText().isBlank()) throw error(field, "must be a non-blank string");
            return v.asText();
        }

        String optionalText(String field, String fallback) {
            return node.hasNonNull(field) ? text(field) : fallback;
        }

        BigDecimal decimal(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) throw error(field, "is required");
            if (!v.isNumber()) throw error(field, "must be a number");
            return v.decimalValue();
        }

        BigDecimal optionalDecimal(String field, BigDecimal fallback) {
            return node.hasNonNull(field) ? decimal(field) : fallback;
        }

        int optionalInt(String field, int fallback) {
            if (!node.hasNonNull(field)) return fallback;
            JsonNode v = node.get(field);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) throw error(field, "must be an integer");
            return v.intValue();
        }

        boolean optionalBoolean(String field, boolean fallback) {
            if (!node.hasNonNull(field)) return fallback;
            JsonNode v = node.get(field);
            if (!v.isBoolean()) throw error(field, "must be true or false");
            return v.booleanValue();
        }

        JsonNode object(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) throw error(field, "is required");
            if (!v.isObject()) throw error(field, "must be an object");
            return v;
        }

        Fields nested(String field, Set<String> nestedAllowed) {
            return new Fields(source, prefix + field + ".", object(field), nestedAllowed);
        }

        Fields optionalNested(String field, Set<String> nestedAllowed) {
            return node.hasNonNull(field) ? nested(field, nestedAllowed) : null;
        }
    }
}
