package de.prokommun.insights.query.publication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SignedCellRoundingTest {

    @Test
    void cellsKeepTheirSignStayWithinOneAndAddUpToTheRoundedTotal() {
        Random rnd = new Random(5);
        Map<CellKey, Double> estimates = new LinkedHashMap<>();
        double total = 0;
        for (int i = 0; i < 2160; i++) {
            double v = rnd.nextGaussian() * 60 + (i % 3 == 0 ? 0 : 90);
            estimates.put(new CellKey("b" + i % 9, "g" + i % 4, "d" + i, "h", "within7"), v);
            total += v;
        }
        Map<CellKey, Long> cells = SignedCellRounding.round(estimates);
        assertThat(cells.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(Math.round(total));
        cells.forEach((k, v) -> assertThat(Math.abs(v - estimates.get(k))).isLessThan(1.0));
        assertThat(cells.values()).anyMatch(v -> v < 0);
        // Exact integers stay as they are.
        Map<CellKey, Double> exact = Map.of(new CellKey("a", "b", "c", "d", "older"), -3.0, new CellKey("a", "b", "c", "e", "older"), 7.0);
        assertThat(SignedCellRounding.round(exact)).containsEntry(new CellKey("a", "b", "c", "d", "older"), -3L)
                .containsEntry(new CellKey("a", "b", "c", "e", "older"), 7L);
    }
}
