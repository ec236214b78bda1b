package de.prokommun.insights.flink.journey;

import de.prokommun.insights.contract.Measures.Names;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.flink.ledger.LedgerRow;
import de.prokommun.insights.flink.ledger.Segment;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class RowTextTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void aRowDecodesToExactlyTheDeltaItWasEncodedFrom() {
        LedgerRow row = LedgerRow.of(Names.EMPLOYER_VOUCHER_SPENT, 1_774_000_000_000L, BERLIN, "edeka\u001fmüller",
                null, null);
        row.counterpart = "Stadt\\werke\u001e\u0000\u001d";
        row.hour = null;
        row.place = "";
        row.count = 1;
        row.amountCents = -2500;
        row.lagDays = 17;
        row.weekday = 3;
        row.lagBucket = 24;
        Segment segment = new Segment();
        segment.ageBand = "30-44";
        segment.gender = null;
        segment.district = "Saarn";
        segment.householdType = "FAMILY";
        segment.personas = new String[] {"family", "regular_shopper"};
        row.segment = segment;

        LedgerRow decoded = RowText.rowOf(RowText.contentOf(row), RowText.segmentOf(segment));
        assertThat(decoded.toDelta("musterstadt", -1)).isEqualTo(row.toDelta("musterstadt", -1));

        segment.personas = new String[0];
        assertThat(RowText.rowOf(RowText.contentOf(row), RowText.segmentOf(segment)).toDelta("m", 1))
                .isEqualTo(row.toDelta("m", 1));
    }

    @Test
    void aKeyWhoseIdentityHoldsSeparatorsStillYieldsItsContent() {
        JourneyFact f = JourneyFact.of(JourneyFact.PURCHASE, "R\u001e1", "shop", 0L);
        LedgerRow row = LedgerRow.of(Names.VISIT, 0L, BERLIN, "shop", "x", null);
        String key = JourneyRows.identity(f) + RowText.KEY + RowText.contentOf(row);
        assertThat(RowText.contentOfKey(key)).isEqualTo(RowText.contentOf(row));
    }
}
