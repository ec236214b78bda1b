package de.prokommun.insights.flink.profile;

import de.prokommun.insights.flink.ledger.PurchaseTags;
import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.readInteger;
import static de.prokommun.insights.flink.serialize.Fields.readIntArrays;
import static de.prokommun.insights.flink.serialize.Fields.readLongOrNull;
import static de.prokommun.insights.flink.serialize.Fields.readString;
import static de.prokommun.insights.flink.serialize.Fields.readStrings;
import static de.prokommun.insights.flink.serialize.Fields.writeInteger;
import static de.prokommun.insights.flink.serialize.Fields.writeIntArrays;
import static de.prokommun.insights.flink.serialize.Fields.writeLongOrNull;
import static de.prokommun.insights.flink.serialize.Fields.writeString;
import static de.prokommun.insights.flink.serialize.Fields.writeStrings;

/**
 * The profile value, which every event reads and writes, field by field (format 2: the offer objections, issue 18;
 * format 1 is read for migration). Adding a field to
 * {@link ProfileState} or {@link PurchaseTags} means a new format here: bump {@link #FORMAT}, and read the old
 * one or accept that state must start fresh. {@code ProfileStateSerializerTest} fails when a field is added
 * without being written.
 */
public final class ProfileStateSerializer extends CompactSerializer<ProfileState> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 2;

    public static final ProfileStateSerializer INSTANCE = new ProfileStateSerializer();

    @Override
    public ProfileState createInstance() {
        return new ProfileState();
    }

    @Override
    protected void write(ProfileState p, DataOutputView out) throws IOException {
        write(p, out, true);
    }

    @Override
    protected ProfileState read(DataInputView in) throws IOException {
        return read(in, true);
    }

    private static void write(ProfileState p, DataOutputView out, boolean withObjections) throws IOException {
        writeString(p.city, out);
        writeInteger(p.birthYear, out);
        writeString(p.gender, out);
        writeString(p.district, out);
        writeString(p.householdType, out);
        writeStrings(p.interests, out);
        out.writeBoolean(p.consentOffers);
        out.writeBoolean(p.consentNewsletter);
        writeInteger(p.registeredDay, out);
        writeInteger(p.lastActivityDay, out);
        out.writeLong(p.clock);
        out.writeBoolean(p.purchases != null);
        if (p.purchases != null) {
            writeStrings(p.purchases.tags, out);
            writeInteger(p.purchases.lastPurchaseDay, out);
        }
        out.writeLong(p.version);
        out.writeLong(p.lastEmittedFingerprint);
        writeLongOrNull(p.reevaluateAt, out);
        writeLongOrNull(p.retentionAt, out);
        out.writeLong(p.recordVersion);
        writeStrings(p.activitySignals, out);
        writeIntArrays(p.activityDays, out);
        if (withObjections) writeStrings(p.offerObjections, out);
    }

    private static ProfileState read(DataInputView in, boolean withObjections) throws IOException {
        ProfileState p = new ProfileState();
        p.city = readString(in);
        p.birthYear = readInteger(in);
        p.gender = readString(in);
        p.district = readString(in);
        p.householdType = readString(in);
        p.interests = readStrings(in);
        p.consentOffers = in.readBoolean();
        p.consentNewsletter = in.readBoolean();
        p.registeredDay = readInteger(in);
        p.lastActivityDay = readInteger(in);
        p.clock = in.readLong();
        if (in.readBoolean()) {
            PurchaseTags tags = new PurchaseTags();
            tags.tags = readStrings(in);
            tags.lastPurchaseDay = readInteger(in);
            p.purchases = tags;
        } else {
            p.purchases = null;
        }
        p.version = in.readLong();
        p.lastEmittedFingerprint = in.readLong();
        p.reevaluateAt = readLongOrNull(in);
        p.retentionAt = readLongOrNull(in);
        p.recordVersion = in.readLong();
        p.activitySignals = readStrings(in);
        p.activityDays = readIntArrays(in);
        p.offerObjections = withObjections ? readStrings(in) : new String[0];
        return p;
    }

    @Override
    public TypeSerializerSnapshot<ProfileState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format; migrates format 1. */
    public static final class Snapshot extends FormatSnapshot<ProfileState> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }

        @Override
        protected TypeSerializer<ProfileState> readerOf(int format) {
            return format == 1 ? FormatOne.INSTANCE : null;
        }
    }

    /** Format 1, before the offer objections: a profile read from it has none. Only for migrating earlier state. */
    public static final class FormatOne extends CompactSerializer<ProfileState> {
        private static final long serialVersionUID = 1L;
        public static final FormatOne INSTANCE = new FormatOne();

        @Override
        public ProfileState createInstance() {
            return new ProfileState();
        }

        @Override
        protected void write(ProfileState p, DataOutputView out) throws IOException {
            ProfileStateSerializer.write(p, out, false);
        }

        @Override
        protected ProfileState read(DataInputView in) throws IOException {
            return ProfileStateSerializer.read(in, false);
        }

        @Override
        public TypeSerializerSnapshot<ProfileState> snapshotConfiguration() {
            return new FormatOneSnapshot();
        }
    }

    /** The snapshot of {@link FormatOne}. */
    public static final class FormatOneSnapshot extends FormatSnapshot<ProfileState> {
        public FormatOneSnapshot() {
            super(1, () -> FormatOne.INSTANCE);
        }
    }
}
