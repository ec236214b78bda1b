package de.prokommun.insights.query.insights;

import de.prokommun.insights.contract.Measures.Names;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The period a figure is kept for: a calendar month (column month, yyyyMM) or year (column year, yyyy). */
public enum Granularity {
    MONTH("month"),
    YEAR("year");

    private final String apiName;

    Granularity(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() { return apiName; }

    /** The contributions column holding the period (a constant). */
    String column() { return apiName; }

    /** The distinct-buyer measure kept per such period. */
    String buyerMeasure() { return this == MONTH ? Names.BUYER_MONTH : Names.BUYER_YEAR; }

    public static Optional<Granularity> byApiName(String name) {
        return Arrays.stream(values()).filter(g -> g.apiName.equals(name.strip().toLowerCase(Locale.ROOT))).findFirst();
    }

    public static List<String> apiNames() {
        return Arrays.stream(values()).map(Granularity::apiName).toList();
    }

    /** Every period from {@code from} to {@code to} inclusive, as column values (yyyyMM or yyyy). */
    public List<Integer> periods(int from, int to) {
        List<Integer> out = new ArrayList<>();
        if (this == YEAR) {
            for (int y = from; y <= to; y++) out.add(y);
        } else {
            for (YearMonth m = month(from); !m.isAfter(month(to)); m = m.plusMonths(1)) {
                out.add(m.getYear() * 100 + m.getMonthValue());
            }
        }
        return out;
    }

    /** How the period is written in requests and answers: "2025" or "2025-03". */
    public String label(int period) {
        return this == YEAR ? Integer.toString(period) : String.format("%04d-%02d", period / 100, period % 100);
    }

    /** How many calendar months one period spans (the factor of a per-person monthly clamp). */
    public int months() { return this == YEAR ? 12 : 1; }

    static YearMonth month(int yyyymm) {
        return YearMonth.of(yyyymm / 100, yyyymm % 100);
    }
}
