package de.prokommun.insights.flink.city;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * How much one person may add to a released sum per category and month, and to the journey sums per month (visits,
 * voucher value, bonus points) (object {@code "clamps"} of
 * {@code cities/<city>/privacy.json}): the contribution ledger emits each person's purchases and spend clamped
 * to these caps, so that one person changes such a sum by at most the cap and the query service can release it
 * with differential privacy. Same format and defaults as the privacy module's {@code SumClamps}, which the jobs
 * must not depend on; the two must be kept in step.
 */
public record PersonMonthClamps(long purchases, long spendCents, long visits, long voucherCents, long bonusPoints)
        implements Serializable {

    public static final String FILE_NAME = "privacy.json";
    public static final String FIELD = "clamps";
    /** A city without privacy.json or without the object (the privacy module's defaults). */
    public static final PersonMonthClamps DEFAULT = new PersonMonthClamps(20, 50_000, 20, 20_000, 5_000);
    private static final String PURCHASES = "purchasesPerPersonMonth";
    private static final String SPEND = "spendCentsPerPersonMonth";
    private static final String VISITS = "visitsPerPersonMonth";
    private static final String VOUCHER = "voucherCentsPerPersonMonth";
    private static final String BONUS = "bonusPointsPerPersonMonth";
    private static final Set<String> FIELDS = Set.of(PURCHASES, SPEND, VISITS, VOUCHER, BONUS, "comment");

    public PersonMonthClamps {
        if (purchases <= 0) throw new IllegalArgumentException("clamps." + PURCHASES + " must be positive: " + purchases);
        if (spendCents <= 0) throw new IllegalArgumentException("clamps." + SPEND + " must be positive: " + spendCents);
        if (visits <= 0) throw new IllegalArgumentException("clamps." + VISITS + " must be positive: " + visits);
        if (voucherCents <= 0) throw new IllegalArgumentException("clamps." + VOUCHER + " must be positive: " + voucherCents);
        if (bonusPoints <= 0) throw new IllegalArgumentException("clamps." + BONUS + " must be positive: " + bonusPoints);
    }

    /** Purchase clamps with the default journey clamps. */
    public PersonMonthClamps(long purchases, long spendCents) {
        this(purchases, spendCents, 20, 20_000, 5_000);
    }

    /** The clamps of a parsed privacy.json (null: the file is missing); {@code source} names the file in errors. */
    public static PersonMonthClamps of(JsonNode privacyJson, String source) {
        JsonNode clamps = privacyJson == null ? null : privacyJson.get(FIELD);
        if (clamps == null || clamps.isNull()) return DEFAULT;
        if (!clamps.isObject()) throw new IllegalArgumentException(source + ": " + FIELD + " must be an object");
        for (Iterator<String> it = clamps.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException(source + ": " + FIELD + "." + name + " is not a known field (known: "
                        + new TreeSet<>(FIELDS) + ")");
            }
        }
        try {
            return new PersonMonthClamps(whole(clamps, PURCHASES, source, DEFAULT.purchases),
                    whole(clamps, SPEND, source, DEFAULT.spendCents), whole(clamps, VISITS, source, DEFAULT.visits),
                    whole(clamps, VOUCHER, source, DEFAULT.voucherCents), whole(clamps, BONUS, source, DEFAULT.bonusPoints));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static long whole(JsonNode clamps, String field, String source, long fallback) {
        JsonNode v = clamps.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(source + ": " + FIELD + "." + field + " must be a whole number");
        }
        return v.longValue();
    }

    /** min(x, cap), and never below 0. */
    public static long clamp(long x, long cap) {
        return Math.min(Math.max(x, 0L), cap);
    }
}
