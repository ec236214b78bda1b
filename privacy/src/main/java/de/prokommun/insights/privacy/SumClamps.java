package de.prokommun.insights.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * The per-person clamps of a city's released sums ({@code "clamps"} in privacy.json): the contribution ledger
 * caps each person's purchases and spend per category and month (and, for the journey figures, visits, voucher
 * value and bonus points per month) at these values before they are summed, and
 * the query service passes the cap times the months a cell spans to {@link DisclosureControl#releaseSums}.
 * A city without the object gets {@link #DEFAULT}.
 */
public record SumClamps(long purchasesPerPersonMonth, long spendCentsPerPersonMonth, long visitsPerPersonMonth,
                        long voucherCentsPerPersonMonth, long bonusPointsPerPersonMonth) {

    public static final String FIELD = "clamps";
    public static final SumClamps DEFAULT = new SumClamps(20, 50_000, 20, 20_000, 5_000);
    private static final Set<String> FIELDS = Set.of("purchasesPerPersonMonth", "spendCentsPerPersonMonth",
            "visitsPerPersonMonth", "voucherCentsPerPersonMonth", "bonusPointsPerPersonMonth", "comment");
    private static final ObjectMapper JSON = new ObjectMapper();

    public SumClamps {
        if (purchasesPerPersonMonth <= 0) throw new IllegalArgumentException("clamps.purchasesPerPersonMonth must be positive");
        if (spendCentsPerPersonMonth <= 0) throw new IllegalArgumentException("clamps.spendCentsPerPersonMonth must be positive");
        if (visitsPerPersonMonth <= 0) throw new IllegalArgumentException("clamps.visitsPerPersonMonth must be positive");
        if (voucherCentsPerPersonMonth <= 0) throw new IllegalArgumentException("clamps.voucherCentsPerPersonMonth must be positive");
        if (bonusPointsPerPersonMonth <= 0) throw new IllegalArgumentException("clamps.bonusPointsPerPersonMonth must be positive");
    }

    /** Purchase clamps with the default journey clamps (visits, vouchers, bonus points). */
    public SumClamps(long purchasesPerPersonMonth, long spendCentsPerPersonMonth) {
        this(purchasesPerPersonMonth, spendCentsPerPersonMonth, 20, 20_000, 5_000);
    }

    /** The clamps of one privacy.json text; {@code source} names the file in errors. */
    public static SumClamps parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage());
        }
        return of(root == null ? null : root.get(FIELD), source);
    }

    static SumClamps of(JsonNode clamps, String source) {
        if (clamps == null || clamps.isNull()) return DEFAULT;
        if (!clamps.isObject()) throw new IllegalArgumentException(source + ": clamps must be an object");
        for (Iterator<String> it = clamps.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException(source + ": clamps." + name + " is not a known field (known: "
                        + new TreeSet<>(FIELDS) + ")");
            }
        }
        try {
            return new SumClamps(positive(clamps, "purchasesPerPersonMonth", source, DEFAULT.purchasesPerPersonMonth),
                    positive(clamps, "spendCentsPerPersonMonth", source, DEFAULT.spendCentsPerPersonMonth),
                    positive(clamps, "visitsPerPersonMonth", source, DEFAULT.visitsPerPersonMonth),
                    positive(clamps, "voucherCentsPerPersonMonth", source, DEFAULT.voucherCentsPerPersonMonth),
                    positive(clamps, "bonusPointsPerPersonMonth", source, DEFAULT.bonusPointsPerPersonMonth));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static long positive(JsonNode clamps, String field, String source, long fallback) {
        JsonNode v = clamps.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(source + ": clamps." + field + " must be a whole number");
        }
        return v.longValue();
    }

    public static SumClamps load(Path privacyJson) {
        try {
            return parse(Files.readString(privacyJson), privacyJson.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + privacyJson, e);
        }
    }

    /** {@code <citiesDir>/<city>/privacy.json}, or the defaults when the city has none. */
    public static SumClamps ofCity(Path citiesDir, String city) {
        Path file = citiesDir.resolve(city).resolve(PrivacyPolicy.FILE_NAME);
        return Files.isRegularFile(file) ? load(file) : DEFAULT;
    }
}
