package de.prokommun.insights.flink.voucher;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * A gift-voucher fact the person side holds (gift-voucher-facts). Field by field, format 2 (2: the nested {@link VoucherFact} in its format 2); a field added to {@link
 * HeldVoucherFact} needs a new format here (bump {@link #FORMAT}), the serializer tests fail when a field is not
 * written.
 */
public final class HeldVoucherFactSerializer extends CompactSerializer<HeldVoucherFact> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 2;

    public static final HeldVoucherFactSerializer INSTANCE = new HeldVoucherFactSerializer();

    @Override
    public HeldVoucherFact createInstance() {
        return new HeldVoucherFact();
    }

    @Override
    protected void write(HeldVoucherFact v, DataOutputView out) throws IOException {
        VoucherFactSerializer.INSTANCE.serialize(v.fact, out);
        out.writeLong(v.fullAmountCents);
        out.writeInt(v.month);
    }

    @Override
    protected HeldVoucherFact read(DataInputView in) throws IOException {
        HeldVoucherFact v = new HeldVoucherFact();
        v.fact = VoucherFactSerializer.INSTANCE.deserialize(in);
        v.fullAmountCents = in.readLong();
        v.month = in.readInt();
        return v;
    }

    @Override
    public TypeSerializerSnapshot<HeldVoucherFact> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format; migrates format 1. */
    public static final class Snapshot extends FormatSnapshot<HeldVoucherFact> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }

        @Override
        protected org.apache.flink.api.common.typeutils.TypeSerializer<HeldVoucherFact> readerOf(int format) {
            return format == 1 ? FormatOne.INSTANCE : null;
        }
    }

    /**
     * Format 1: the nested fact in its format 1. The held fact always kept the uncut amount, so the migrated fact gets
     * it back. Only for migrating state written by an earlier build.
     */
    public static final class FormatOne extends CompactSerializer<HeldVoucherFact> {
        private static final long serialVersionUID = 1L;
        public static final FormatOne INSTANCE = new FormatOne();

        @Override
        public HeldVoucherFact createInstance() {
            return new HeldVoucherFact();
        }

        @Override
        protected void write(HeldVoucherFact v, DataOutputView out) throws IOException {
            VoucherFactSerializer.FormatOne.INSTANCE.serialize(v.fact, out);
            out.writeLong(v.fullAmountCents);
            out.writeInt(v.month);
        }

        @Override
        protected HeldVoucherFact read(DataInputView in) throws IOException {
            HeldVoucherFact v = new HeldVoucherFact();
            v.fact = VoucherFactSerializer.FormatOne.INSTANCE.deserialize(in);
            v.fullAmountCents = in.readLong();
            v.month = in.readInt();
            if (v.fact != null) v.fact.fullAmountCents = v.fullAmountCents;
            return v;
        }

        @Override
        public TypeSerializerSnapshot<HeldVoucherFact> snapshotConfiguration() {
            return new FormatOneSnapshot();
        }
    }

    /** The snapshot of {@link FormatOne} (only if Flink asks a migration reader for one). */
    public static final class FormatOneSnapshot extends FormatSnapshot<HeldVoucherFact> {
        public FormatOneSnapshot() {
            super(1, () -> FormatOne.INSTANCE);
        }
    }
}
