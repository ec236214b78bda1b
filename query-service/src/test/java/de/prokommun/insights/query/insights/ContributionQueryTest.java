package de.prokommun.insights.query.insights;

import de.prokommun.insights.contract.Measures.Names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ContributionQueryTest {

    @Test
    void aPlainSumIsConfinedToCityMeasureCategoryAndPeriod() {
        assertThat(ContributionQuery.of("contributions", "musterstadt", Names.BUYER_YEAR)
                .category("lebensmittel.backwaren").periods(Granularity.YEAR, List.of(2025)).sql(1))
                .isEqualTo("SELECT SUM(count) FROM contributions WHERE city = 'musterstadt' AND measure = 'buyer_year'"
                        + " AND category = 'lebensmittel.backwaren' AND year = 2025");
    }

    @Test
    void spendIsSummedFromAmountCentsAndGroupedBySegment() {
        ContributionQuery q = ContributionQuery.of("contributions", "musterstadt", Names.SPEND_CLAMPED)
                .category("c").periods(Granularity.MONTH, List.of(202501, 202502)).groupBy("ageBand");
        assertThat(q.groupColumns()).isEqualTo(1);
        assertThat(q.sql(20)).isEqualTo("SELECT ageBand, SUM(amountCents) FROM contributions WHERE city = 'musterstadt'"
                + " AND measure = 'spend_clamped' AND category = 'c' AND month IN (202501, 202502) GROUP BY ageBand LIMIT 20");
    }

    @Test
    void aSegmentFilterIsAndedAcrossAndOredWithinDimensions() {
        SegmentFilter s = new SegmentFilter(new TreeSet<>(List.of("25-34", "18-24")), null,
                new TreeSet<>(List.of("family")), new TreeSet<>(List.of("O'Saarn")), null);
        assertThat(ContributionQuery.of("contributions", "m", Names.PURCHASE_CLAMPED).category("c")
                .periods(Granularity.YEAR, List.of(2024)).segment(s).sql(1))
                .isEqualTo("SELECT SUM(count) FROM contributions WHERE city = 'm' AND measure = 'purchase_clamped'"
                        + " AND category = 'c' AND year = 2024 AND ageBand IN ('18-24', '25-34')"
                        + " AND personas IN ('family') AND district IN ('O''Saarn')");
    }

    @Test
    void unmappedLinesOfOneParticipantPerGroup() {
        assertThat(ContributionQuery.of("contributions", "m", Names.UNMAPPED_LINE).participant("baeckerei")
                .groupBy("category").sql(100))
                .isEqualTo("SELECT category, SUM(count) FROM contributions WHERE city = 'm' AND measure = 'unmapped_line'"
                        + " AND participant = 'baeckerei' GROUP BY category LIMIT 100");
    }

    @Test
    void tableAndColumnNamesCannotBeInjected() {
        assertThatThrownBy(() -> ContributionQuery.of("contributions; DROP", "m", "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContributionQuery.of("contributions", "m", "x").groupBy("a, b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContributionQuery.of("contributions", "m\u0000", "x").sql(1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void periodsAndLabels() {
        assertThat(Granularity.MONTH.periods(202411, 202502)).containsExactly(202411, 202412, 202501, 202502);
        assertThat(Granularity.YEAR.periods(2022, 2024)).containsExactly(2022, 2023, 2024);
        assertThat(Granularity.MONTH.label(202503)).isEqualTo("2025-03");
        assertThat(Granularity.YEAR.label(2025)).isEqualTo("2025");
    }
}
