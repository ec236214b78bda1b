package de.prokommun.insights.flink.voucher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VoucherCutsTest {

    @Test
    void theMonthsCapIsSharedOutInTimeOrderWhateverTheListOrder() {
        List<VoucherCuts.Entry> entries = List.of(
                new VoucherCuts.Entry(300, "c", 15_000),
                new VoucherCuts.Entry(100, "a", 15_000),
                new VoucherCuts.Entry(200, "b", 4_000));
        assertThat(VoucherCuts.cuts(entries, 20_000)).containsExactly(1_000, 15_000, 4_000);
    }

    @Test
    void theFactIdOrdersFactsOfTheSameMoment() {
        List<VoucherCuts.Entry> entries = List.of(
                new VoucherCuts.Entry(100, "shop\u001fe2", 12_000),
                new VoucherCuts.Entry(100, "shop\u001fe1", 12_000));
        assertThat(VoucherCuts.cuts(entries, 20_000)).containsExactly(8_000, 12_000);
    }

    @Test
    void aFactBeyondTheCapKeepsItsPlaceWithNothingAndNegativeAmountsCountNothing() {
        List<VoucherCuts.Entry> entries = List.of(
                new VoucherCuts.Entry(1, "a", 25_000),
                new VoucherCuts.Entry(2, "b", -500),
                new VoucherCuts.Entry(3, "c", 700));
        assertThat(VoucherCuts.cuts(entries, 20_000)).containsExactly(20_000, 0, 0);
        assertThat(VoucherCuts.cuts(List.of(), 20_000)).isEmpty();
    }
}
