package de.prokommun.insights.query.journey;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.privacy.ReleasedCell;
import org.junit.jupiter.api.Test;

class JourneyDerivedTest {

    private static ReleasedCell released(long value) {
        return new ReleasedCell("", value, false, String.valueOf(value));
    }

    private static ReleasedCell suppressed() {
        return new ReleasedCell("", null, true, "weniger als 10");
    }

    @Test
    void meanDaysToRedemptionIsTheQuotientOfTheReleasedFigures() {
        assertThat(JourneyDerived.meanDays(released(1200), released(40))).isEqualTo(30.0);
        assertThat(JourneyDerived.meanDays(released(366 * 3), released(3))).isEqualTo(366.0);
    }

    @Test
    void aQuotientNoCountedRedemptionCouldHaveIsNoiseAndNotShown() {
        assertThat(JourneyDerived.meanDays(released(5299), released(10))).isNull();
        assertThat(JourneyDerived.meanDays(released(100), released(0))).isNull();
        assertThat(JourneyDerived.meanDays(suppressed(), released(12))).isNull();
        assertThat(JourneyDerived.meanDays(released(100), suppressed())).isNull();
    }
}
