package de.prokommun.insights.flink.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JourneyScopeTest {

    @Test
    void theNamesPeriodsBuildsComeApartAgain() {
        assertThat(JourneyScope.of(Periods.FIRST)).isEqualTo(new JourneyScope(JourneyScope.Kind.FIRST, 0, null));
        assertThat(JourneyScope.of(Periods.yearScope(2026))).isEqualTo(new JourneyScope(JourneyScope.Kind.YEAR, 2026, null));
        assertThat(JourneyScope.of(Periods.monthScope(202603)))
                .isEqualTo(new JourneyScope(JourneyScope.Kind.MONTH, 202603, null));
        assertThat(JourneyScope.of(Periods.monthScope(202612, Periods.FLOW)))
                .isEqualTo(new JourneyScope(JourneyScope.Kind.MONTH, 202612, Periods.FLOW));
    }

    @Test
    void aWholeMonthHoldsEveryFamilyAndAFamilyOnlyItself() {
        JourneyScope whole = JourneyScope.of("m202603");
        JourneyScope flows = JourneyScope.of("m202603:flow");
        assertThat(whole.isMonthOf(Periods.FLOW)).isTrue();
        assertThat(whole.isMonthOf(Periods.BONUS)).isTrue();
        assertThat(flows.isMonthOf(Periods.FLOW)).isTrue();
        assertThat(flows.isMonthOf(Periods.BONUS)).isFalse();
        assertThat(JourneyScope.of("y2026").isMonthOf(Periods.FLOW)).isFalse();
    }

    @Test
    void anUnknownNameIsRefusedByName() {
        for (String name : new String[] {"x2026", "y20x6", "m:flow", ""}) {
            assertThatThrownBy(() -> JourneyScope.of(name)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unknown journey scope: " + name);
        }
    }
}
