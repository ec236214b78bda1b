package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.contract.Measures.Names;
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
        assertThat(List.of(Names.PURCHASE, Names.UNMAPPED_LINE, Names.SUBMITTED_UNMAPPED_LINE,
                Names.BUYER_MONTH, Names.BUYER_YEAR, Names.CUSTOMER_MONTH, Names.CUSTOMER_YEAR,
                Names.REGISTRATION, Names.ACTIVE_RESIDENT, Names.VOUCHER_REDEMPTION, Names.PURCHASE_CLAMPED,
                Names.SPEND_CLAMPED)).allMatch(registry::contains);
        assertThat(JourneyMeasures.ALL).allMatch(registry::contains);
        assertThat(de.prokommun.insights.flink.voucher.VoucherRole.values())
                .allSatisfy(r -> assertThat(registry).contains(r.measure()));
    }
}
