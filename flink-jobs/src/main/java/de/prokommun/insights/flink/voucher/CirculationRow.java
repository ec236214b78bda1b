package de.prokommun.insights.flink.voucher;

import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.flink.ledger.LedgerRow;

/**
 * One row of gift-voucher circulation as the voucher-keyed operator remembers it (a Flink POJO): a
 * {@link LedgerRow} (period, participant, segment, count, amount) plus the seller as counterpart and the days from
 * sale to redemption. {@link #toDelta} with sign −1 gives the exact negation.
 */
public class CirculationRow {
    public LedgerRow row;
    public String counterpart;
    public long lagDays;

    public CirculationRow() {}

    CirculationRow(LedgerRow row, String counterpart, long lagDays) {
        this.row = row;
        this.counterpart = counterpart;
        this.lagDays = lagDays;
    }

    public ContributionDelta toDelta(String city, int sign) {
        ContributionDelta d = row.toDelta(city, sign);
        d.setCounterpart(counterpart);
        d.setLagDays(sign * lagDays);
        return d;
    }
}
