package de.prokommun.insights.flink.journey;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import de.prokommun.insights.flink.serialize.FormatSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import static de.prokommun.insights.flink.serialize.Fields.*;

/**
 * A year's buyers (journey-years). Field by field, format 1; a field added to {@link YearBuyers} needs a new format
 * here (bump {@link #FORMAT}), the serializer tests fail when a field is not written.
 */
public final class YearBuyersSerializer extends CompactSerializer<YearBuyers> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 1;

    public static final YearBuyersSerializer INSTANCE = new YearBuyersSerializer();

    @Override
    public YearBuyers createInstance() {
        return new YearBuyers();
    }

    @Override
    protected void write(YearBuyers v, DataOutputView out) throws IOException {
        writeStrings(v.participants, out);
        writeInts(v.purchases, out);
    }

    @Override
    protected YearBuyers read(DataInputView in) throws IOException {
        YearBuyers v = new YearBuyers();
        v.participants = readStrings(in);
        v.purchases = readInts(in);
        return v;
    }

    @Override
    public TypeSerializerSnapshot<YearBuyers> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format. */
    public static final class Snapshot extends FormatSnapshot<YearBuyers> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }
    }
}
