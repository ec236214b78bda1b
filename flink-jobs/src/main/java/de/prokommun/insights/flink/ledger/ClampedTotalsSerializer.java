package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import de.prokommun.insights.flink.serialize.Varints;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * Clamped totals of a person, category and month (ledger-clamped), format 2: the purchase counts as varints, the opening row
 * as {@link CompactRows} (format 1 wrote 4 longs and the row in full; not read any more, flink-jobs/README.md: fresh
 * state). A field added to {@link ClampedTotals} or {@link LedgerRow} needs a new format here (bump {@link #FORMAT}),
 * the serializer tests fail when a field is not written.
 */
public final class ClampedTotalsSerializer extends CompactSerializer<ClampedTotals> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 2;

    public static final ClampedTotalsSerializer INSTANCE = new ClampedTotalsSerializer();

    @Override
    public ClampedTotals createInstance() {
        return new ClampedTotals();
    }

    @Override
    protected void write(ClampedTotals v, DataOutputView out) throws IOException {
        Varints.writeVarLong(v.purchases, out);
        out.writeLong(v.spendCents); // cents: a varint would save 5 bytes, but its worst case would outgrow the POJO form
        Varints.writeVarLong(v.emittedPurchases, out);
        out.writeLong(v.emittedSpendCents);
        new CompactRows.Writer().write(v.opened, out);
    }

    @Override
    protected ClampedTotals read(DataInputView in) throws IOException {
        ClampedTotals v = new ClampedTotals();
        v.purchases = Varints.readVarLong(in);
        v.spendCents = in.readLong();
        v.emittedPurchases = Varints.readVarLong(in);
        v.emittedSpendCents = in.readLong();
        v.opened = new CompactRows.Reader().read(in);
        return v;
    }

    @Override
    public TypeSerializerSnapshot<ClampedTotals> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format. */
    public static final class Snapshot extends FormatSnapshot<ClampedTotals> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }
    }
}
