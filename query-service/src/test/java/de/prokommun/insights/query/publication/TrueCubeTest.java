package de.prokommun.insights.query.publication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrueCubeTest {

    @Test
    void everyPersonLandsInAtMostOneCellOfEachSliceAndNobodyIsLostFromEverybody() {
        List<String> asked = new ArrayList<>();
        CubeSource pinot = (sql, columns) -> {
            asked.add(sql);
            Map<List<String>, Long> rows = new LinkedHashMap<>();
            if (columns == 4) {
                rows.put(List.of("35-49", "FEMALE", "Saarn", "FAMILY"), 10L);
                rows.put(List.of("null", "FEMALE", "Atlantis", "FAMILY"), 2L); // no band, unknown district
            } else if (sql.contains("personas")) {
                rows.put(List.of("35-49", "FEMALE", "Saarn", "FAMILY", "family"), 6L);
                rows.put(List.of("35-49", "FEMALE", "Saarn", "FAMILY", "null"), 3L); // no persona at all
                rows.put(List.of("35-49", "FEMALE", "Saarn", "FAMILY", "astronaut"), 1L); // not in the vocabulary
            } else {
                rows.put(List.of("35-49", "FEMALE", "Saarn", "FAMILY", "sport"), 4L);
            }
            return rows;
        };
        CubeDomain domain = CubeDomain.of(Musterstadt.vocabulary());
        Map<String, Map<CellKey, Long>> cube = new TrueCube(pinot, "profiles").count("musterstadt", domain);
        CellKey cell = new CellKey("35-49", "FEMALE", "Saarn", "FAMILY");
        assertThat(cube.get("all")).containsEntry(cell, 10L)
                .containsEntry(new CellKey("other", "FEMALE", "other", "FAMILY"), 2L);
        assertThat(cube.get("persona:family")).containsExactly(Map.entry(cell, 6L));
        assertThat(cube.get("persona:other")).containsExactly(Map.entry(cell, 3L));
        assertThat(cube.get("interest:sport")).containsExactly(Map.entry(cell, 4L));
        assertThat(cube).doesNotContainKey("persona:astronaut");
        assertThat(asked).allSatisfy(sql -> assertThat(sql).contains("city = 'musterstadt' AND deleted = false"));
        assertThat(asked.get(2)).contains("interests IN ('sport', 'kultur'");
    }
}
