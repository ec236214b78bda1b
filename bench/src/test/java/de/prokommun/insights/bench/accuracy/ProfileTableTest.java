package de.prokommun.insights.bench.accuracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.query.audience.AudienceFilter;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ProfileTableTest {

    private final ProfileTable table = new ProfileTable("musterstadt", List.of(
            new ProfileTable.Profile(40, "35-49", "FEMALE", "Saarn", "FAMILY", List.of("family", "regular_shopper"),
                    List.of("sport"), true, 20_100),
            new ProfileTable.Profile(70, "65-79", "MALE", "Broich", "COUPLE", List.of(), List.of("musik", "sport"), false,
                    null)));

    @Test
    void groupsAMultiValueColumnOncePerValueAndAnEmptyOneUnderNull() {
        String where = " FROM profiles WHERE city = 'musterstadt' AND deleted = false";
        assertThat(table.countsPerGroup("SELECT ageBand, gender, district, householdType, personas, COUNT(*)" + where
                + " GROUP BY ageBand, gender, district, householdType, personas LIMIT 1000000", 5)).isEqualTo(Map.of(
                List.of("35-49", "FEMALE", "Saarn", "FAMILY", "family"), 1L,
                List.of("35-49", "FEMALE", "Saarn", "FAMILY", "regular_shopper"), 1L,
                List.of("65-79", "MALE", "Broich", "COUPLE", "null"), 1L));
        // IN on a multi-value column keeps a row with any listed value, and it is still grouped under all of them.
        assertThat(table.countsPerGroup("SELECT ageBand, interests, COUNT(*)" + where + " AND interests IN ('musik')"
                + " GROUP BY ageBand, interests LIMIT 10", 2)).isEqualTo(Map.of(
                List.of("65-79", "musik"), 1L, List.of("65-79", "sport"), 1L));
        // An activity window keeps rows that bought on or after the day; no purchase at all is outside every window.
        assertThat(table.countsPerGroup("SELECT ageBand, COUNT(*)" + where + " AND lastPurchaseDay >= 20100"
                + " GROUP BY ageBand LIMIT 10", 1)).isEqualTo(Map.of(List.of("35-49"), 1L));
        assertThat(table.countsPerGroup("SELECT ageBand, COUNT(*)" + where + " AND lastPurchaseDay >= 20101"
                + " GROUP BY ageBand LIMIT 10", 1)).isEmpty();
        assertThat(table.countsPerGroup("SELECT ageBand, COUNT(*) FROM profiles WHERE city = 'elsewhere' AND deleted = false"
                + " GROUP BY ageBand LIMIT 10", 1)).isEmpty();
    }

    @Test
    void refusesQueriesItWouldOnlyGuess() {
        assertThatThrownBy(() -> table.countsPerGroup("SELECT COUNT(*) FROM profiles", 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> table.countsPerGroup("SELECT age, COUNT(*) FROM profiles WHERE city = 'musterstadt'"
                + " AND deleted = false GROUP BY age LIMIT 10", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countsAudiencesWithTheServiceSemantics() {
        assertThat(table.count(AudienceFilter.everyone())).isEqualTo(2);
        assertThat(table.count(new AudienceFilter(35, 49, set(), set("family", "senior"), set(), set(), set(), false))).isEqualTo(1);
        assertThat(table.count(new AudienceFilter(null, null, set(), set(), set("sport"), set(), set(), false))).isEqualTo(2);
        assertThat(table.count(new AudienceFilter(null, null, set(), set(), set(), set(), set(), true))).isEqualTo(1);
        assertThat(table.count(new AudienceFilter(65, 120, set("FEMALE"), set(), set(), set(), set(), false))).isZero();
    }

    private static TreeSet<String> set(String... values) {
        return new TreeSet<>(List.of(values));
    }
}
