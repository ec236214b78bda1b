package de.prokommun.insights.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry of the contributions table's measures: one entry per name, names and constants in step. */
class MeasuresTest {

    @Test
    void everyNameConstantIsAMeasureOfTheRegistryAndBack() throws Exception {
        List<String> constants = new ArrayList<>();
        for (Field f : Measures.Names.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) constants.add((String) f.get(null));
        }
        assertThat(Measures.ALL).extracting(Measure::name).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(constants);
        for (Field f : Measures.class.getFields()) {
            if (f.getType() == Measure.class) {
                assertThat(((Measure) f.get(null)).name()).as(f.getName()).isEqualTo(f.getName().toLowerCase());
                assertThat(Measures.ALL).contains((Measure) f.get(null));
            }
        }
    }

    @Test
    void eachMeasureNamesTheColumnOfItsFigure() {
        assertThat(Measures.SPEND_CLAMPED.column()).isEqualTo("amountCents");
        assertThat(Measures.PURCHASE_CLAMPED.column()).isEqualTo("count");
        assertThat(Measures.BONUS_POINTS_EARNED.column()).isEqualTo("quantity");
        assertThat(Measures.EMPLOYER_VOUCHER_SPENT.sums(Measure.Column.LAG_DAYS)).isTrue();
        assertThat(Measures.CUSTOMER_YEAR.sums(Measure.Column.AMOUNT_CENTS)).isFalse();
        assertThat(Measures.byName("engaged_month")).contains(Measures.ENGAGED_MONTH);
        assertThat(Measures.byName("no_such_measure")).isEmpty();
        assertThat(Measures.ALL).allSatisfy(m -> assertThat(m.meaning()).isNotBlank());
    }

    @Test
    void aMeasureNeedsAWellFormedNameAndAColumn() {
        assertThatThrownBy(() -> new Measure("Bad Name", List.of(Measure.Column.COUNT), "x")).hasMessageContaining("Bad Name");
        assertThatThrownBy(() -> new Measure("empty", List.of(), "x")).hasMessageContaining("empty");
    }
}
