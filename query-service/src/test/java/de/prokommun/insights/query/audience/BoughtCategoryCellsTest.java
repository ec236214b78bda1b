package de.prokommun.insights.query.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.AskerRole;
import de.prokommun.insights.privacy.DisclosureControl;
import de.prokommun.insights.privacy.DominanceRule;
import de.prokommun.insights.privacy.PrivacyPolicy;
import de.prokommun.insights.privacy.audit.AuditLog;
import de.prokommun.insights.privacy.budget.BudgetLedger;
import de.prokommun.insights.query.insights.CategorySellers;
import de.prokommun.insights.query.insights.SegmentFilter;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The cells of an audience on a bought category (docs/PRIVACY.md section 24) weighed over sales rows as Pinot holds
 * them: the segment the filter narrows to, each breakdown row, each sub-category of a first-level category.
 */
class BoughtCategoryCellsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T09:15:00Z"), ZoneOffset.UTC);
    private static final DominanceRule RULE = new DominanceRule(1, new BigDecimal("85"), 3);
    private static final String FEINKOST = "lebensmittel.feinkost-bio";
    private static final Asker WINE = participant("weinhaus-broich");
    private static final Asker DRINKS = participant("getraenke-ruhr");
    private static final PrivacyPolicy POLICY =
            PrivacyPolicy.of(PrivacyPolicy.load(Vocabularies.CITIES.resolve("musterstadt/privacy.json")));

    private final SalesTable sales = new SalesTable();
    private final AudienceServiceCounts counts = new AudienceServiceCounts();

    private static Asker participant(String id) {
        return new Asker("musterstadt", id, AskerRole.PARTICIPANT);
    }

    /** Counts every profile query asked; a refused question must ask none. */
    private static final class AudienceServiceCounts implements TrueCountSource {
        final List<String> asked = new ArrayList<>();
        @Override public long count(String sql) { asked.add(sql); return 500; }
        @Override public Map<String, Long> countsPerValue(String sql) { asked.add(sql); return Map.of(); }
    }

    private AudienceService service() {
        return new AudienceService(new CityCatalog(Vocabularies.CITIES), counts,
                new DisclosureControl(POLICY, BudgetLedger.inMemory(), AuditLog.inMemory(),
                        "0123456789abcdef0123456789abcdef".getBytes(), CLOCK),
                new DataVersion(CLOCK, Duration.ofMinutes(1)), "profiles", 50, PublishedFigures.NONE,
                new CategorySellers(sales, "contributions", city -> RULE));
    }

    private AudienceAnswer ask(Asker asker, String body) {
        AudienceService service = service();
        return service.answer(asker, service.parse(asker, body));
    }

    /** Three shops sell feinkost city-wide in balance; to residents of 18-24 (in Saarn) only the wine shop sold. */
    private void feinkostOfThreeShopsOneAloneInTheYoungBand() {
        sales.sale(2026, FEINKOST, "35-49", "Broich", "weinhaus-broich", 1000)
                .sale(2026, FEINKOST, "35-49", "Broich", "getraenke-ruhr", 1000)
                .sale(2026, FEINKOST, "35-49", "Broich", "drogerie-altstadt", 1000)
                .sale(2026, FEINKOST, "18-24", "Saarn", "weinhaus-broich", 1000);
    }

    @Test
    void theSegmentAnAudienceNarrowsADominatedCategoryCellToIsRefusedNamingTheFieldNeverTheSeller() {
        feinkostOfThreeShopsOneAloneInTheYoungBand();
        String bought = "\"boughtCategory\": {\"category\": \"" + FEINKOST + "\", \"year\": 2026}";
        assertThat(ask(DRINKS, "{\"filter\": {" + bought + "}}").countCell()).as("the whole category").isNotNull();
        counts.asked.clear();
        assertThatThrownBy(() -> ask(DRINKS, "{\"filter\": {" + bought + ", \"ageFrom\": 18, \"ageTo\": 23}}"))
                .isInstanceOfSatisfying(ForbiddenFieldException.class, e -> {
                    assertThat(e.problem().field()).isEqualTo("filter.ageFrom");
                    assertThat(e.problem().reason()).contains("'" + FEINKOST + "'", "in the segment asked", "2026",
                            "dominance rule").doesNotContain("weinhaus").doesNotContain("1000");
                });
        assertThat(counts.asked).as("nothing counted for a refused question").isEmpty();
        assertThatThrownBy(() -> ask(DRINKS, "{\"filter\": {" + bought + ", \"districts\": [\"Saarn\"]}}"))
                .isInstanceOfSatisfying(ForbiddenFieldException.class,
                        e -> assertThat(e.problem().field()).isEqualTo("filter.districts"));
        assertThatCode(() -> ask(DRINKS, "{\"filter\": {" + bought + ", \"districts\": [\"Broich\"]}}"))
                .as("a balanced segment").doesNotThrowAnyException();
        assertThatCode(() -> ask(WINE, "{\"filter\": {" + bought + ", \"ageFrom\": 18, \"ageTo\": 23}}"))
                .as("the cell's only seller reads its own").doesNotThrowAnyException();
    }

    @Test
    void eachRowOfABreakdownIsACellWithinTheSegmentAsked() {
        feinkostOfThreeShopsOneAloneInTheYoungBand();
        String bought = "\"boughtCategory\": {\"category\": \"" + FEINKOST + "\", \"year\": 2026}";
        assertThatThrownBy(() -> ask(DRINKS, "{\"filter\": {" + bought + "}, \"breakdown\": \"ageBand\"}"))
                .isInstanceOfSatisfying(ForbiddenFieldException.class, e -> {
                    assertThat(e.problem().field()).isEqualTo("breakdown");
                    assertThat(e.problem().reason()).contains("ageBand '18-24'").doesNotContain("weinhaus");
                });
        assertThatThrownBy(() -> ask(DRINKS, "{\"filter\": {" + bought + ", \"districts\": [\"Saarn\", \"Broich\"]},"
                + " \"breakdown\": \"district\"}")).isInstanceOfSatisfying(ForbiddenFieldException.class,
                e -> assertThat(e.problem().reason()).contains("district 'Saarn'", "in the segment asked"));
        assertThat(sales.asked.get(sales.asked.size() - 1))
                .contains("district IN ('Broich', 'Saarn')").contains("GROUP BY year, district, participant");
    }

    @Test
    void aSubCategoryOneSellerDominatesInsideABalancedFirstLevelCategoryIsRefusedAtItsLevel() {
        // ladies' fashion: three shops; shoes: one shoe shop, a small part of fashion as a whole
        for (String shop : List.of("mode-a", "mode-b", "mode-c")) sales.sale(2026, "mode.damen", "35-49", "Broich", shop, 100_000);
        sales.sale(2026, "mode.schuhe", "35-49", "Broich", "schuhhaus", 20_000);
        assertThatThrownBy(() -> ask(DRINKS, "{\"filter\": {\"boughtCategory\": {\"category\": \"mode\", \"year\": 2026}}}"))
                .isInstanceOfSatisfying(ForbiddenFieldException.class, e -> {
                    assertThat(e.problem().field()).isEqualTo("filter.boughtCategory");
                    assertThat(e.problem().reason()).contains("'mode.schuhe'", "2026").doesNotContain("schuhhaus")
                            .doesNotContain("mode.damen");
                });
        assertThat(sales.asked).as("the pool and its sub-categories from one query").hasSize(1);
        assertThat(sales.asked.get(0)).contains("GROUP BY year, category, participant");
        assertThatCode(() -> ask(DRINKS, "{\"filter\": {\"boughtCategory\": {\"category\": \"mode.damen\", \"year\": 2026}}}"))
                .as("the balanced sub-category").doesNotThrowAnyException();
        assertThatCode(() -> ask(participant("schuhhaus"), "{\"filter\": {\"boughtCategory\": {\"category\": \"mode.schuhe\","
                + " \"year\": 2026}}}")).as("the shoe shop reads its own shoes").doesNotThrowAnyException();
    }

    @Test
    void aSubCategoryIsWeighedAlsoWithinTheSegmentAndTheRowsOfAFirstLevelQuestion() {
        // city-wide both sub-categories are balanced; in Saarn the shoes are one shop's
        for (String shop : List.of("mode-a", "mode-b", "mode-c")) {
            sales.sale(2026, "mode.damen", "35-49", "Saarn", shop, 100_000);
            sales.sale(2026, "mode.schuhe", "35-49", "Broich", shop, 10_000);
        }
        sales.sale(2026, "mode.schuhe", "35-49", "Saarn", "schuhhaus", 10_000);
        String mode = "\"boughtCategory\": {\"category\": \"mode\", \"year\": 2026}";
        assertThatCode(() -> ask(DRINKS, "{\"filter\": {" + mode + "}}")).doesNotThrowAnyException();
        assertThatThrownBy(() -> ask(DRINKS, "{\"filter\": {" + mode + ", \"districts\": [\"Saarn\"]}}"))
                .hasMessageContaining("filter.districts").hasMessageContaining("'mode.schuhe'");
        assertThatThrownBy(() -> ask(DRINKS, "{\"filter\": {" + mode + "}, \"breakdown\": \"district\"}"))
                .hasMessageContaining("breakdown").hasMessageContaining("'mode.schuhe' to residents with district 'Saarn'");
    }

    @Test
    void anAgeRangeBecomesTheBandsItsMembersHadInTheYearAsked() {
        CityVocabulary city = Vocabularies.musterstadt();
        AudienceFilter aged = new AudienceFilter(25, 30, null, null, null, null, null, false);
        // today 25-30; in 2024 they were 22 to 28
        assertThat(BoughtCategoryCells.segment(aged, city, 2024, 2026).ageBands()).containsExactly("18-24", "25-34");
        assertThat(BoughtCategoryCells.segment(aged, city, 2026, 2026).ageBands()).containsExactly("18-24", "25-34");
        AudienceFilter middle = new AudienceFilter(26, 33, null, null, null, null, null, false);
        assertThat(BoughtCategoryCells.segment(middle, city, 2026, 2026).ageBands()).containsExactly("25-34");
        assertThat(BoughtCategoryCells.segment(new AudienceFilter(0, 120, null, null, null, null, null, false), city,
                2026, 2026)).as("every band: no narrowing").isEqualTo(SegmentFilter.everyone());
        AudienceFilter women = new AudienceFilter(null, null, new TreeSet<>(List.of("FEMALE")), null, null, null, null, true);
        assertThat(BoughtCategoryCells.segment(women, city, 2026, 2026).genders()).containsExactly("FEMALE");
        assertThat(BoughtCategoryCells.segmentField(women, BoughtCategoryCells.segment(women, city, 2026, 2026)))
                .isEqualTo("filter.genders");
    }

    @Test
    void noBoughtCategoryReadsNoSales() {
        assertThatCode(() -> ask(DRINKS, "{\"filter\": {\"districts\": [\"Saarn\"]}, \"breakdown\": \"ageBand\"}"))
                .doesNotThrowAnyException();
        assertThat(sales.asked).isEmpty();
    }
}
