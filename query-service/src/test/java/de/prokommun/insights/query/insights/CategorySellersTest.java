package de.prokommun.insights.query.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.DominanceRule;
import de.prokommun.insights.query.audience.ForbiddenFieldException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dominance rule on the ad-hoc path, with the sales Pinot would return given directly. */
class CategorySellersTest {

    private static final DominanceRule RULE = new DominanceRule(1, new BigDecimal("85"), 3);
    private static final Asker SHOES = participant("schuhhaus");
    private static final Asker BIKES = participant("fahrradladen");
    private static final Asker OPERATOR = new Asker("musterstadt", "stadtmarketing", AskerRole.OPERATOR);

    /** (period, participant) → net cents, and every SQL asked. */
    private final Map<List<String>, Long> sales = new LinkedHashMap<>();
    private final List<String> asked = new ArrayList<>();

    private CategorySellers sellers(DominanceRule rule) {
        return new CategorySellers((sql, groups) -> {
            asked.add(sql);
            assertThat(groups).isEqualTo(2);
            return sales;
        }, "contributions", city -> rule);
    }

    private static Asker participant(String id) {
        return new Asker("musterstadt", id, AskerRole.PARTICIPANT);
    }

    @Test
    void aSingleSellersCategoryIsRefusedToACompetitorNamingTheCategoryPeriodAndRule() {
        sales.put(List.of("2026", "schuhhaus"), 1_000_000L);
        assertThatThrownBy(() -> sellers(RULE).check(BIKES, "category", List.of("mode.schuhe"), true, List.of(2026)))
                .isInstanceOfSatisfying(ForbiddenFieldException.class, e -> {
                    assertThat(e.problem().field()).isEqualTo("category");
                    assertThat(e.problem().reason()).contains("'mode.schuhe'", "2026", "dominance rule", "fewer than 3",
                            "85 %").doesNotContain("schuhhaus").doesNotContain("1000000");
                });
        assertThat(asked).containsExactly("SELECT year, participant, SUM(amountCents) FROM contributions WHERE"
                + " city = 'musterstadt' AND measure = 'purchase' AND category IN ('mode.schuhe') AND year = 2026"
                + " GROUP BY year, participant LIMIT 100000");
    }

    @Test
    void theOnlySellerReadsItsOwnCategory() {
        sales.put(List.of("202605", "schuhhaus"), 1_000_000L);
        assertThatCode(() -> sellers(RULE).check(SHOES, "category", List.of("mode.schuhe"), false, List.of(202605)))
                .doesNotThrowAnyException();
    }

    @Test
    void twoSellersAreEachRefusedSinceEachWouldReadTheOthersPart() {
        sales.put(List.of("2026", "schuhhaus"), 600_000L);
        sales.put(List.of("2026", "fahrradladen"), 400_000L);
        for (Asker asker : List.of(SHOES, BIKES, participant("dritter"))) {
            assertThatThrownBy(() -> sellers(RULE).check(asker, "category", List.of("mode.schuhe"), true, List.of(2026)))
                    .as(asker.id()).isInstanceOf(ForbiddenFieldException.class);
        }
    }

    @Test
    void aDominatedCategoryOfManySellersIsRefusedAndABalancedOneIsNot() {
        sales.put(List.of("2026", "gross"), 900L);
        sales.put(List.of("2026", "klein-1"), 50L);
        sales.put(List.of("2026", "klein-2"), 50L);
        assertThatThrownBy(() -> sellers(RULE).check(BIKES, "category", List.of("x.y"), true, List.of(2026)))
                .isInstanceOf(ForbiddenFieldException.class);
        sales.put(List.of("2026", "gross"), 850L); // 850 of 950 = 89.5 % > 85 %
        assertThatThrownBy(() -> sellers(RULE).check(BIKES, "category", List.of("x.y"), true, List.of(2026)))
                .isInstanceOf(ForbiddenFieldException.class);
        sales.put(List.of("2026", "gross"), 500L); // 500 of 600 = 83.3 %
        assertThatCode(() -> sellers(RULE).check(BIKES, "category", List.of("x.y"), true, List.of(2026)))
                .doesNotThrowAnyException();
    }

    @Test
    void onePeriodThatFailsRefusesTheQuestionAndNamesThatPeriod() {
        for (String seller : List.of("a", "b", "c")) sales.put(List.of("2025", seller), 100L);
        sales.put(List.of("2026", "schuhhaus"), 100L);
        assertThatThrownBy(() -> sellers(RULE).check(BIKES, "category", List.of("mode.schuhe"), true, List.of(2025, 2026)))
                .hasMessageContaining("in 2026").hasMessageNotContaining("in 2025");
    }

    @Test
    void nothingSoldOrOnlyRetractedIsNothingToProtect() {
        assertThatCode(() -> sellers(RULE).check(BIKES, "category", List.of("mode.schuhe"), true, List.of(2026)))
                .doesNotThrowAnyException();
        sales.put(List.of("2026", "schuhhaus"), -500L); // a net retraction is no sale
        assertThatCode(() -> sellers(RULE).check(BIKES, "category", List.of("mode.schuhe"), true, List.of(2026)))
                .doesNotThrowAnyException();
        // ... and does not count as another seller beside a real one
        sales.put(List.of("2026", "fahrradladen"), 500L);
        assertThatCode(() -> sellers(RULE).check(BIKES, "category", List.of("mode.schuhe"), true, List.of(2026)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> sellers(RULE).check(SHOES, "category", List.of("mode.schuhe"), true, List.of(2026)))
                .isInstanceOf(ForbiddenFieldException.class);
    }

    @Test
    void theOperatorIsExemptOnlyWhereTheCitySaysSo() {
        sales.put(List.of("2026", "schuhhaus"), 1_000L);
        assertThatThrownBy(() -> sellers(RULE).check(OPERATOR, "filter.boughtCategory", List.of("mode.schuhe"), true,
                List.of(2026))).hasMessageContaining("filter.boughtCategory").hasMessageNotContaining("and the operator");
        asked.clear();
        DominanceRule exempt = new DominanceRule(1, new BigDecimal("85"), 3, true);
        assertThatCode(() -> sellers(exempt).check(OPERATOR, "category", List.of("mode.schuhe"), true, List.of(2026)))
                .doesNotThrowAnyException();
        assertThat(asked).as("an exempt operator's question reads no sales").isEmpty();
        assertThatThrownBy(() -> sellers(exempt).check(BIKES, "category", List.of("mode.schuhe"), true, List.of(2026)))
                .hasMessageContaining("only seller and the operator");
    }

    @Test
    void aFirstLevelCategoryIsWeighedOverAllItsLeaves() {
        for (String seller : List.of("a", "b", "c")) sales.put(List.of("2026", seller), 100L);
        assertThatCode(() -> sellers(RULE).check(BIKES, "filter.boughtCategory", List.of("mode.damen", "mode.schuhe"),
                true, List.of(2026))).doesNotThrowAnyException();
        assertThat(asked.get(0)).contains("category IN ('mode.damen', 'mode.schuhe')");
    }

    // ---- cells weighed one by one (journey category flows, segment rows, the segment asked) ----------------

    private CategorySellers cells(int expectedGroups) {
        return new CategorySellers((sql, groups) -> {
            asked.add(sql);
            assertThat(groups).isEqualTo(expectedGroups);
            return sales;
        }, "contributions", city -> RULE);
    }

    @Test
    void eachCategoryNodeOfAFlowIsWeighedOnItsOwn() {
        // bread has three bakeries; shoes one shop: pooled they look balanced, one by one the shoes are the shop's
        sales.put(List.of("202605", "backwaren.brot", "baecker-1"), 40_000L);
        sales.put(List.of("202605", "backwaren.brot", "baecker-2"), 40_000L);
        sales.put(List.of("202605", "backwaren.brot", "baecker-3"), 40_000L);
        sales.put(List.of("202605", "mode.schuhe", "schuhhaus"), 10_000L);
        assertThatThrownBy(() -> cells(3).checkCells(BIKES, "nodes", List.of("backwaren.brot", "mode.schuhe"), true, false,
                List.of(202605), SegmentFilter.everyone(), null, null))
                .isInstanceOfSatisfying(ForbiddenFieldException.class, e -> {
                    assertThat(e.problem().field()).isEqualTo("nodes");
                    assertThat(e.problem().reason()).contains("'mode.schuhe'", "2026-05").doesNotContain("schuhhaus")
                            .doesNotContain("brot");
                });
        assertThat(asked.get(0)).contains("GROUP BY month, category, participant");
        assertThatCode(() -> cells(3).checkCells(SHOES, "nodes", List.of("backwaren.brot", "mode.schuhe"), true, false,
                List.of(202605), SegmentFilter.everyone(), null, null)).as("the only seller reads its own").doesNotThrowAnyException();
        assertThatCode(() -> cells(3).checkCells(OPERATOR, "nodes", List.of("mode.schuhe"), true, false, List.of(202605),
                SegmentFilter.everyone(), null, null)).as("not exempt here: refused").isInstanceOf(ForbiddenFieldException.class);
    }

    @Test
    void aSegmentRowDominatedByOneSellerIsRefusedThoughTheWholeCategoryIsBalanced() {
        // city-wide three equal sellers; among residents of Saarn one of them makes 90 %
        sales.put(List.of("2026", "Broich", "a"), 100L);
        sales.put(List.of("2026", "Broich", "b"), 200L);
        sales.put(List.of("2026", "Broich", "c"), 300L);
        sales.put(List.of("2026", "Saarn", "a"), 900L);
        sales.put(List.of("2026", "Saarn", "b"), 50L);
        sales.put(List.of("2026", "Saarn", "c"), 50L);
        assertThatThrownBy(() -> cells(3).checkCells(BIKES, "segmentBy", List.of("x.y"), false, true, List.of(2026),
                SegmentFilter.everyone(), "district", null))
                .isInstanceOfSatisfying(ForbiddenFieldException.class, e -> assertThat(e.problem().reason())
                        .contains("'x.y'", "district 'Saarn'", "2026").doesNotContain("'a'").doesNotContain("900"));
        assertThat(asked.get(0)).contains("GROUP BY year, district, participant");
        assertThatCode(() -> cells(3).checkCells(BIKES, "segmentBy", List.of("x.y"), false, true, List.of(2026),
                SegmentFilter.everyone(), "district", List.of("Broich"))).as("only the rows shown are weighed")
                .doesNotThrowAnyException();
    }

    @Test
    void theSegmentAskedRestrictsTheSalesWeighed() {
        sales.put(List.of("2026", "a"), 100L);
        SegmentFilter young = new SegmentFilter(new java.util.TreeSet<>(List.of("18-24")), new java.util.TreeSet<>(),
                new java.util.TreeSet<>(), new java.util.TreeSet<>(), new java.util.TreeSet<>());
        assertThatThrownBy(() -> cells(2).checkCells(BIKES, "segment", List.of("x.y"), false, true, List.of(2026), young,
                null, null)).isInstanceOfSatisfying(ForbiddenFieldException.class,
                e -> assertThat(e.problem().reason()).contains("in the segment asked"));
        assertThat(asked.get(0)).contains("ageBand IN ('18-24')").contains("GROUP BY year, participant");
    }

    // ---- every level an answer reveals (a first-level category: its pool and each sub-category) ----------

    @Test
    void aFirstLevelCategoryIsWeighedAsItsPoolAndEachSubCategoryFromOneQuery() {
        for (String shop : List.of("a", "b", "c")) sales.put(List.of("2026", "mode.damen", shop), 100_000L);
        sales.put(List.of("2026", "mode.schuhe", "schuhhaus"), 20_000L);
        assertThatThrownBy(() -> cells(3).checkLevels(BIKES, "filter.boughtCategory", List.of("mode.damen", "mode.schuhe"),
                true, List.of(2026), SegmentFilter.everyone(), null, null))
                .isInstanceOfSatisfying(ForbiddenFieldException.class, e -> {
                    assertThat(e.problem().field()).isEqualTo("filter.boughtCategory");
                    assertThat(e.problem().reason()).contains("'mode.schuhe'", "2026").doesNotContain("schuhhaus")
                            .doesNotContain("mode.damen");
                });
        assertThat(asked).hasSize(1);
        assertThat(asked.get(0)).contains("category IN ('mode.damen', 'mode.schuhe')")
                .contains("GROUP BY year, category, participant");
        assertThatCode(() -> cells(3).checkLevels(SHOES, "filter.boughtCategory", List.of("mode.damen", "mode.schuhe"),
                true, List.of(2026), SegmentFilter.everyone(), null, null))
                .as("the shoe shop sells all shoes: the pool is balanced, the sub-category its own")
                .doesNotThrowAnyException();
    }

    @Test
    void theLevelAskedIsNamedFirstWhenThePoolItselfIsDominated() {
        sales.put(List.of("2026", "mode.damen", "gross"), 900_000L);
        sales.put(List.of("2026", "mode.schuhe", "gross"), 900_000L);
        sales.put(List.of("2026", "mode.schuhe", "klein"), 10_000L);
        assertThatThrownBy(() -> cells(3).checkLevels(BIKES, "filter.boughtCategory", List.of("mode.damen", "mode.schuhe"),
                true, List.of(2026), SegmentFilter.everyone(), null, null))
                .hasMessageContaining("the categories [mode.damen, mode.schuhe]");
    }

    @Test
    void aSecondLevelCategoryIsOneLevelAndOneCell() {
        for (String shop : List.of("a", "b", "c")) sales.put(List.of("2026", shop), 100L);
        assertThatCode(() -> cells(2).checkLevels(BIKES, "filter.boughtCategory", List.of("mode.damen"), true,
                List.of(2026), SegmentFilter.everyone(), null, null)).doesNotThrowAnyException();
        assertThat(asked.get(0)).contains("GROUP BY year, participant");
    }
}
