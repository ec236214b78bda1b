package de.prokommun.insights.flink.journey;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The main category of a visit: of a receipt, the mapped category with the largest amount (ties: the smallest
 * category id; no mapped line: {@code unmapped}); of a check-in, its own category, else {@code veranstaltung}.
 */
public final class MainCategory {
    private MainCategory() {}

    /** One line of a receipt: its category (null when the product group has no mapping) and amount. */
    public record Line(String category, long amountCents) {}

    public static String ofReceipt(List<Line> lines) {
        Map<String, Long> byCategory = new TreeMap<>(); // ascending ids: the first of equal amounts wins
        for (Line line : lines) {
            if (line.category() != null) byCategory.merge(line.category(), line.amountCents(), Long::sum);
        }
        String main = null;
        long largest = 0;
        for (Map.Entry<String, Long> e : byCategory.entrySet()) {
            if (main == null || e.getValue() > largest) {
                main = e.getKey();
                largest = e.getValue();
            }
        }
        return main == null ? JourneyMeasures.UNMAPPED : main;
    }

    public static String ofCheckIn(String category) {
        return category == null || category.isBlank() ? JourneyMeasures.CHECK_IN_CATEGORY : category;
    }
}
