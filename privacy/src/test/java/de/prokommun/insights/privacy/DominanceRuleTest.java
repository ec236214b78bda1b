package de.prokommun.insights.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DominanceRuleTest {

    private static final DominanceRule DEFAULT = PrivacyDefaults.dominance();

    @Test
    void fewerThanThreeSellersAreAlwaysSensitive() {
        assertThat(DEFAULT.isSensitive(Map.of())).isTrue();
        assertThat(DEFAULT.isSensitive(Map.of("baeckerei", 5000L))).isTrue();
        assertThat(DEFAULT.isSensitive(Map.of("baeckerei", 5000L, "cafe", 5000L))).isTrue();
        // A participant without sales in the category is not a seller.
        assertThat(DEFAULT.isSensitive(Map.of("baeckerei", 5000L, "cafe", 5000L, "kiosk", 0L))).isTrue();
        assertThat(DEFAULT.isSensitive(Map.of("baeckerei", 5000L, "cafe", 5000L, "kiosk", 4000L))).isFalse();
    }

    @Test
    void oneSellerAboveEightyFivePercentDominatesAndExactlyEightyFiveDoesNot() {
        assertThat(DEFAULT.isSensitive(Map.of("a", 85L, "b", 10L, "c", 5L))).isFalse();
        assertThat(DEFAULT.isSensitive(Map.of("a", 86L, "b", 9L, "c", 5L))).isTrue();
        // Exactly: 0.85 is not 0.8500000001 — 17/20 of the total is allowed, one cent more is not.
        assertThat(DEFAULT.isSensitive(Map.of("a", 1_700_000_000_000L, "b", 150_000_000_000L, "c", 150_000_000_000L))).isFalse();
        assertThat(DEFAULT.isSensitive(Map.of("a", 1_700_000_000_001L, "b", 149_999_999_999L, "c", 150_000_000_000L))).isTrue();
    }

    @Test
    void theTwoLargestAreComparedForNTwo() {
        DominanceRule twoNinety = new DominanceRule(2, new BigDecimal("90"), 3);
        assertThat(twoNinety.isSensitive(Map.of("a", 50L, "b", 41L, "c", 5L, "d", 4L))).isTrue();
        assertThat(twoNinety.isSensitive(Map.of("a", 50L, "b", 40L, "c", 5L, "d", 5L))).isFalse();
        // The order of the map does not matter: the two largest are found wherever they are.
        Map<String, Long> many = new HashMap<>();
        Random random = new Random(5);
        for (int i = 0; i < 100; i++) many.put("p" + i, (long) random.nextInt(100));
        many.put("big-1", 100_000L);
        many.put("big-2", 90_000L);
        long rest = many.values().stream().mapToLong(Long::longValue).sum() - 190_000L;
        assertThat(rest).isLessThan(19_000L); // so the two big ones exceed 90 %
        assertThat(twoNinety.isSensitive(many)).isTrue();
        assertThat(new DominanceRule(1, new BigDecimal("90"), 3).isSensitive(many)).isFalse();
    }

    @Test
    void badRulesAndNegativeContributionsAreRejected() {
        assertThatThrownBy(() -> new DominanceRule(0, new BigDecimal("85"), 3)).hasMessageContaining("dominance.n");
        assertThatThrownBy(() -> new DominanceRule(1, new BigDecimal("101"), 3)).hasMessageContaining("dominance.kPercent");
        assertThatThrownBy(() -> new DominanceRule(1, new BigDecimal("85"), 0)).hasMessageContaining("dominance.minParticipants");
        assertThatThrownBy(() -> DEFAULT.isSensitive(Map.of("a", -1L, "b", 5L, "c", 5L))).hasMessageContaining("negative");
    }

    @Test
    void privacyJsonConfiguresTheRule() {
        String json = """
                {"city": "x", "dominance": {"n": 2, "kPercent": 90.5},
                 "roles": {"participant": {"epsilonPerQuestion": 0.15, "budget": {"day": 3, "month": 15}},
                           "operator": {"epsilonPerQuestion": 0.25, "budget": {"day": 5, "month": 30}}}}
                """;
        DominanceRule read = PrivacyPolicy.parse(json, "x.json").dominance();
        assertThat(read).isEqualTo(new DominanceRule(2, new BigDecimal("90.5"), 3));
        assertThatThrownBy(() -> PrivacyPolicy.parse(json.replace("\"n\"", "\"top\""), "x.json"))
                .hasMessageContaining("x.json: dominance.top is not a known field");
        assertThat(read.operatorExempt()).as("the operator is exempt only where privacy.json says so").isFalse();
        assertThat(PrivacyPolicy.parse(json.replace("90.5}", "90.5, \"operatorExempt\": true}"), "x.json").dominance())
                .isEqualTo(new DominanceRule(2, new BigDecimal("90.5"), 3, true));
        assertThatThrownBy(() -> PrivacyPolicy.parse(json.replace("90.5}", "90.5, \"operatorExempt\": 1}"), "x.json"))
                .hasMessageContaining("x.json: dominance.operatorExempt must be true or false");
        // Musterstadt: the default thresholds; its operator (city marketing) is exempt by the city's contract.
        assertThat(PrivacyPolicy.loadCities(Path.of("..", "cities")).city("musterstadt").dominance())
                .isEqualTo(new DominanceRule(DEFAULT.n(), DEFAULT.kPercent(), DEFAULT.minParticipants(), true));
    }
}
