package de.prokommun.insights.flink.voucher;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.flink.ledger.LedgerRow;
import de.prokommun.insights.flink.ledger.Segment;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VoucherLinksTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    static long at(int y, int m, int d, int hour) {
        return ZonedDateTime.of(y, m, d, hour, 0, 0, 0, BERLIN).toInstant().toEpochMilli();
    }

    static Segment segment(String ageBand) {
        Segment s = new Segment();
        s.ageBand = ageBand;
        s.gender = "FEMALE";
        s.district = "Saarn";
        s.householdType = "SINGLE";
        s.personas = new String[] {"single"};
        return s;
    }

    static VoucherFact fact(String id, VoucherRole role, String voucher, String participant, long time, long amount,
                            String ageBand) {
        VoucherFact f = new VoucherFact();
        f.city = "musterstadt";
        f.voucher = voucher;
        f.role = role;
        f.participant = participant;
        f.eventTime = time;
        f.zone = BERLIN.getId();
        f.amountCents = amount;
        f.fullAmountCents = amount;
        f.segment = segment(ageBand);
        f.factId = participant + '\u001f' + id;
        f.live = true;
        return f;
    }

    @Test
    void aRedemptionIsLinkedToTheSellerWithTheWholeDaysSinceTheSale() {
        VoucherFact sale = fact("s", VoucherRole.SOLD, "V1", "buchhandlung", at(2026, 3, 1, 10), 5_000, "35-49");
        VoucherFact redeemed = fact("r", VoucherRole.REDEEMED, "V1", "cafe", at(2026, 3, 4, 9), 2_000, "18-24");
        Map<String, LedgerRow> rows = VoucherLinks.rowsOf(List.of(redeemed, sale));

        ContributionDelta sold = rows.get(sale.factId).toDelta("musterstadt", 1);
        assertThat(sold.getMeasure()).isEqualTo("gift_voucher_sold");
        assertThat(sold.getParticipant()).isEqualTo("buchhandlung");
        assertThat(sold.getCounterpart()).isNull();
        assertThat(List.of(sold.getCount(), sold.getAmountCents(), sold.getLagDays())).containsExactly(1L, 5_000L, 0L);
        assertThat(sold.getAgeBand()).as("the buyer's segment").isEqualTo("35-49");
        assertThat(sold.getDay()).isEqualTo((int) LocalDate.of(2026, 3, 1).toEpochDay());

        ContributionDelta red = rows.get(redeemed.factId).toDelta("musterstadt", 1);
        assertThat(red.getMeasure()).isEqualTo("gift_voucher_redeemed");
        assertThat(red.getParticipant()).isEqualTo("cafe");
        assertThat(red.getCounterpart()).isEqualTo("buchhandlung");
        assertThat(red.getLagDays()).as("2 days 23 hours are 2 whole days").isEqualTo(2L);
        assertThat(red.getAgeBand()).as("the redeemer's segment").isEqualTo("18-24");
        assertThat(red.getMonth()).isEqualTo(202603);

        ContributionDelta negated = rows.get(redeemed.factId).toDelta("musterstadt", -1);
        assertThat(List.of(negated.getCount(), negated.getAmountCents(), negated.getLagDays()))
                .containsExactly(-1L, -2_000L, -2L);
    }

    @Test
    void withoutALiveSaleARedemptionHasNoSellerAndNoLag() {
        VoucherFact redeemed = fact("r", VoucherRole.REDEEMED, "V1", "cafe", at(2026, 3, 4, 9), 2_000, "18-24");
        LedgerRow row = VoucherLinks.rowsOf(List.of(redeemed)).get(redeemed.factId);
        assertThat(row.counterpart).isNull();
        assertThat(row.lagDays).isZero();
    }

    @Test
    void aVoucherReportedAsSoldTwiceCountsBothSalesAndLinksToTheEarlierOne() {
        VoucherFact late = fact("s2", VoucherRole.SOLD, "V1", "kiosk", at(2026, 3, 2, 10), 1_000, "35-49");
        VoucherFact early = fact("s1", VoucherRole.SOLD, "V1", "buchhandlung", at(2026, 3, 1, 10), 1_000, "35-49");
        VoucherFact redeemed = fact("r", VoucherRole.REDEEMED, "V1", "cafe", at(2026, 3, 11, 10), 500, "18-24");
        Map<String, LedgerRow> rows = VoucherLinks.rowsOf(List.of(late, redeemed, early));
        assertThat(rows).hasSize(3);
        assertThat(rows.get(redeemed.factId).counterpart).isEqualTo("buchhandlung");
        assertThat(rows.get(redeemed.factId).lagDays).isEqualTo(10L);
    }

    @Test
    void aRowCountsForTheDayInTheCitysTimeZone() {
        // 00:30 on 1 April in Berlin is 22:30 UTC on 31 March: the row counts for the city's day
        long justAfterMidnight = ZonedDateTime.of(2026, 4, 1, 0, 30, 0, 0, BERLIN).toInstant().toEpochMilli();
        VoucherFact sale = fact("s", VoucherRole.SOLD, "V1", "buchhandlung", justAfterMidnight, 1_000, "35-49");
        ContributionDelta d = VoucherLinks.rowsOf(List.of(sale)).get(sale.factId).toDelta("musterstadt", 1);
        assertThat(d.getMonth()).isEqualTo(202604);
        assertThat(d.getDay()).isEqualTo((int) LocalDate.of(2026, 4, 1).toEpochDay());
    }

    @Test
    void lagDaysAreTruncatedWholeDays() {
        assertThat(VoucherLinks.lagDays(0, 86_400_000L - 1)).isZero();
        assertThat(VoucherLinks.lagDays(0, 86_400_000L)).isEqualTo(1);
        assertThat(VoucherLinks.lagDays(0, 30 * 86_400_000L + 5)).isEqualTo(30);
    }
}
