package de.prokommun.insights.flink.ledger;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * Clamped totals of a person and day (ledger-clamped). Field by field, format 1; a field added to {@link
 * ClampedTotals} needs a new format here (bump {@link #FORMAT}), the serializer tests fail when a field is not
 * written.
 */
public final class ClampedTotalsSerializer extends CompactSerializer<ClampedTotals> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;

    public static final ClampedTotalsSerializer INSTANCE = new ClampedTotalsSerializer();

    @Override
    public ClampedTotals createInstance() {
        return new ClampedTotals();
    }

    @Override
    protected void write(ClampedTotals v, DataOutputView out) throws IOException {
        out.writeLong(v.purchases);
        out.writeLong(v.spendCents);
        out.writeLong(v.emittedPurchases);
        out.writeLong(v.emittedSpendCents);
        LedgerRowSerializer.INSTANCE.serialize(v.opened, out);
    }

    @Override
    protected ClampedTotals read(DataInputView in) throws IOException {
        ClampedTotals v = new ClampedTotals();
        v.purchases = in.readLong();
        v.spendCents = in.readLong();
        v.emittedPurchases = in.readLong();
        v.emittedSpendCents = in.readLong();
        v.opened = LedgerRowSerializer.INSTANCE.deserialize(in);
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
