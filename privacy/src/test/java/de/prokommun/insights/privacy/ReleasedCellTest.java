package de.prokommun.insights.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Post-processing of a released cell can only lower a shown value. */
class ReleasedCellTest {
    private static final DisplayRule DE = new DisplayRule(3, Locale.GERMANY);

    @Test
    void aShownValueIsLoweredAndShownByTheDisplayRule() {
        ReleasedCell cell = new ReleasedCell("a→b", 30_700_000L, false, "30.700.000");
        assertThat(cell.lowered(2_299_999, DE)).isEqualTo(new ReleasedCell("a→b", 2_299_999L, false, DE.show(2_299_999)));
    }

    @Test
    void neverRaisedNeverNegativeNeverFromASuppressedCell() {
        ReleasedCell cell = new ReleasedCell("a→b", 1_000L, false, "1.000");
        assertThatThrownBy(() -> cell.lowered(1_001, DE)).hasMessageContaining("a→b").hasMessageContaining("only lower");
        assertThatThrownBy(() -> cell.lowered(-1, DE)).hasMessageContaining("at least 0");
        assertThatThrownBy(() -> new ReleasedCell("x", null, true, "weniger als 10").lowered(0, DE))
                .hasMessageContaining("x: a suppressed cell");
    }
}
