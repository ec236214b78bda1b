package de.prokommun.insights.query.publication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrueCubeTest {

    private static final long TODAY = 20_000;
    private static final List<String> SAARN = List.of("35-49", "FEMALE", "Saarn", "FAMILY");

    /** Of the 10 people in Saarn's cell: 1 bought within 7 days, 2 more within 30, 3 more within 90, 4 longer ago. */
    private static long withinWindow(String sql) {
        if (!sql.contains("lastPurchaseDay")) return 10;
        if (sql.contains(">= " + (TODAY - 7))) return 1;
        if (sql.contains(">= " + (TODAY - 30))) return 3;
        return 6; // 90 and 365 days
    }

    @Test
    void everyPersonLandsInAtMostOneCellOfEachSliceAndNobodyIsLostFromEverybody() {
        List<String> asked = new ArrayList<>();
        CubeSource pinot = (sql, columns) -> {
            asked.add(sql);
            Map<List<String>, Long> rows = new LinkedHashMap<>();
            if (columns == 4) {
                rows.put(SAARN, withinWindow(sql));
                if (!sql.contains("lastPurchaseDay")) {
                    rows.put(List.of("null", "FEMALE", "Atlantis", "FAMILY"), 2L); // no band, unknown district
                }
            } else if (sql.contains("personas")) {
                if (!sql.contains("lastPurchaseDay")) {
                    rows.put(List.of("35-49", "FEMALE", "Saarn", "FAMILY", "student"), 6L);
                    rows.put(List.of("35-49", "FEMALE", "Saarn", "FAMILY", "family"), 5L); // a cube persona: no slice
                    rows.put(List.of("35-49", "FEMALE", "Saarn", "FAMILY", "null"), 3L); // no persona at all
                    rows.put(List.of("35-49", "FEMALE", "Saarn", "FAMILY", "astronaut"), 1L); // not in the vocabulary
                }
            } else if (!sql.contains(">= " + (TODAY - 7))) {
                rows.put(List.of("35-49", "FEMALE", "Saarn", "FAMILY", "sport"), 4L);
            }
            return rows;
        };
        CubeDomain domain = CubeDomain.of(Musterstadt.vocabulary());
        Map<String, Map<CellKey, Long>> cube = new TrueCube(pinot, "profiles").count("musterstadt", domain, TODAY);
        assertThat(cube.get("all")).containsOnly(
                Map.entry(saarn("within7"), 1L), Map.entry(saarn("within30"), 2L), Map.entry(saarn("within90"), 3L),
                Map.entry(saarn("older"), 4L), Map.entry(new CellKey("other", "FEMALE", "other", "FAMILY", "older"), 2L));
        assertThat(cube.get("persona:student")).containsExactly(Map.entry(saarn("older"), 6L));
        assertThat(cube).doesNotContainKey("persona:family");
        assertThat(cube.get("persona:other")).containsExactly(Map.entry(saarn("older"), 3L));
        assertThat(cube.get("interest:sport")).containsExactly(Map.entry(saarn("within30"), 4L));
        assertThat(cube).doesNotContainKey("persona:astronaut");
        assertThat(asked).hasSize(3 * 5)
                .allSatisfy(sql -> assertThat(sql).contains("city = 'musterstadt' AND deleted = false"));
        assertThat(asked.get(10)).contains("interests IN ('sport', 'kultur'");
        assertThat(asked).filteredOn(sql -> sql.contains("lastPurchaseDay >= " + (TODAY - 365))).hasSize(3);
    }

    @Test
    void aProfileVanishingBetweenTheWindowQueriesStopsThePublicationInsteadOfCountingItTwice() {
        // The narrower window (asked first) counts more than the wider one: a profile was erased in between.
        CubeSource racing = (sql, columns) -> columns == 4
                ? Map.of(SAARN, sql.contains(">= " + (TODAY - 7)) ? 5L : 3L) : Map.of();
        CubeDomain domain = CubeDomain.of(Musterstadt.vocabulary());
        assertThatThrownBy(() -> new TrueCube(racing, "profiles").count("musterstadt", domain, TODAY))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("publishing later");
    }

    @Test
    void aResidentWhoBuysOrRegistersWhileTheWindowsAreAskedIsCountedOnce() {
        // Asked narrowest first: within 7 days 1; within 30 days 3 (one of them bought after the first query);
        // 90 and 365 days 3; everybody 6 (one registered after the window queries): 6 residents, each in one bucket.
        java.util.Iterator<Long> answers = List.of(1L, 3L, 3L, 3L, 6L).iterator();
        CubeSource live = (sql, columns) -> columns == 4 ? Map.of(SAARN, answers.next()) : Map.of();
        Map<String, Map<CellKey, Long>> cube = new TrueCube(live, "profiles")
                .count("musterstadt", CubeDomain.of(Musterstadt.vocabulary()), TODAY);
        assertThat(cube.get("all")).containsOnly(Map.entry(saarn("within7"), 1L), Map.entry(saarn("within30"), 2L),
                Map.entry(saarn("older"), 3L));
    }

    private static CellKey saarn(String activity) {
        return new CellKey("35-49", "FEMALE", "Saarn", "FAMILY", activity);
    }
}
