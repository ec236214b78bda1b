package de.prokommun.insights.flink.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.contract.Measure;
import de.prokommun.insights.flink.journey.JourneyMeasures;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rows the jobs write carry measures of the contract's registry (which the query service sums). */
class MeasureNamesTest {

    @Test
    void theLedgersMeasuresAreTheRegistrys() {
        Set<String> registry = Set.copyOf(de.prokommun.insights.contract.Measures.ALL.stream().map(Measure::name).toList());
        assertThat(List.of(Measures.PURCHASE, Measures.UNMAPPED_LINE, Measures.SUBMITTED_UNMAPPED_LINE,
                Measures.BUYER_MONTH, Measures.BUYER_YEAR, Measures.CUSTOMER_MONTH, Measures.CUSTOMER_YEAR,
                Measures.REGISTRATION, Measures.ACTIVE_RESIDENT, Measures.VOUCHER_REDEMPTION, Measures.PURCHASE_CLAMPED,
                Measures.SPEND_CLAMPED)).allMatch(registry::contains);
        assertThat(JourneyMeasures.ALL).allMatch(registry::contains);
        assertThat(de.prokommun.insights.flink.voucher.VoucherRole.values())
                .allSatisfy(r -> assertThat(registry).contains(r.measure()));
    }
}
