package de.prokommun.insights.flink.voucher;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import de.prokommun.insights.flink.ledger.SegmentSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * A gift-voucher fact (voucher-live-facts; nested in the person side's held facts). Field by field, format 2 (2: the uncut {@code fullAmountCents}, issue 15); a
 * field added to {@link VoucherFact} needs a new format here (bump {@link #FORMAT}), the serializer tests fail when
 * a field is not written.
 */
public final class VoucherFactSerializer extends CompactSerializer<VoucherFact> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 2;

    public static final VoucherFactSerializer INSTANCE = new VoucherFactSerializer();

    @Override
    public VoucherFact createInstance() {
        return new VoucherFact();
    }

    @Override
    protected void write(VoucherFact v, DataOutputView out) throws IOException {
        write(v, out, true);
    }

    @Override
    protected VoucherFact read(DataInputView in) throws IOException {
        return read(in, true);
    }

    private static void write(VoucherFact v, DataOutputView out, boolean withFullAmount) throws IOException {
        writeString(v.city, out);
        writeString(v.voucher, out);
        out.writeByte(v.role == null ? -1 : v.role.ordinal()); // enum symbols only ever added at the end
        writeString(v.participant, out);
        out.writeLong(v.eventTime);
        writeString(v.zone, out);
        out.writeLong(v.amountCents);
        if (withFullAmount) out.writeLong(v.fullAmountCents);
        SegmentSerializer.INSTANCE.serialize(v.segment, out);
        writeString(v.factId, out);
        out.writeBoolean(v.live);
    }

    private static VoucherFact read(DataInputView in, boolean withFullAmount) throws IOException {
        VoucherFact v = new VoucherFact();
        v.city = readString(in);
        v.voucher = readString(in);
        byte role = in.readByte();
        if (role < -1 || role >= ROLES.length) throw new IOException("VoucherFact.role: unknown ordinal " + role);
        v.role = role < 0 ? null : ROLES[role];
        v.participant = readString(in);
        v.eventTime = in.readLong();
        v.zone = readString(in);
        v.amountCents = in.readLong();
        v.fullAmountCents = withFullAmount ? in.readLong() : VoucherFact.UNKNOWN_AMOUNT;
        v.segment = SegmentSerializer.INSTANCE.deserialize(in);
        v.factId = readString(in);
        v.live = in.readBoolean();
        return v;
    }

    private static final VoucherRole[] ROLES = VoucherRole.values();

    @Override
    public TypeSerializerSnapshot<VoucherFact> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format; migrates format 1. */
    public static final class Snapshot extends FormatSnapshot<VoucherFact> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }

        @Override
        protected org.apache.flink.api.common.typeutils.TypeSerializer<VoucherFact> readerOf(int format) {
            return format == 1 ? FormatOne.INSTANCE : null;
        }
    }

    /**
     * Format 1, before the uncut amount (issue 15, finding 6): a fact read from it does not know what the issuer
     * sent ({@link VoucherFact#UNKNOWN_AMOUNT}), so a voucher with such a sale is not judged (as before the cap).
     * Only for migrating state written by an earlier build.
     */
    public static final class FormatOne extends CompactSerializer<VoucherFact> {
        private static final long serialVersionUID = 1L;
        public static final FormatOne INSTANCE = new FormatOne();

        @Override
        public VoucherFact createInstance() {
            return new VoucherFact();
        }

        @Override
        protected void write(VoucherFact v, DataOutputView out) throws IOException {
            VoucherFactSerializer.write(v, out, false);
        }

        @Override
        protected VoucherFact read(DataInputView in) throws IOException {
            return VoucherFactSerializer.read(in, false);
        }

        @Override
        public TypeSerializerSnapshot<VoucherFact> snapshotConfiguration() {
            return new FormatOneSnapshot();
        }
    }

    /** The snapshot of {@link FormatOne} (only if Flink asks a migration reader for one). */
    public static final class FormatOneSnapshot extends FormatSnapshot<VoucherFact> {
        public FormatOneSnapshot() {
            super(1, () -> FormatOne.INSTANCE);
        }
    }
}
