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
 * A group of open distinct counts (ledger-distinct-groups), format 2: the opening rows of a group share their
 * measure, participants, categories and above all the segment (age band, gender, district, household, personas), so
 * a text or segment is written in full once and later by the index of its first occurrence, small numbers as
 * varints ({@link CompactRows}); the keys are not written when each is the key of its opening row (always, as the ledger keeps
 * them). Format 1 (every key and row in full, about 250 bytes per open count) is not read any more
 * (flink-jobs/README.md: fresh state). A field
 * added to {@link OpenDistinctGroup}, {@link OpenDistinct}, {@link LedgerRow} or {@link Segment} needs a new format
 * here (bump {@link #FORMAT}), the serializer tests fail when a field is not written.
 */
public final class OpenDistinctGroupSerializer extends CompactSerializer<OpenDistinctGroup> {
    private static final long serialVersionUID = 1L;
    static final int FORMAT = 2;

    public static final OpenDistinctGroupSerializer INSTANCE = new OpenDistinctGroupSerializer();

    @Override
    public OpenDistinctGroup createInstance() {
        return new OpenDistinctGroup();
    }

    @Override
    protected void write(OpenDistinctGroup v, DataOutputView out) throws IOException {
        // keys: 0 none (null), 1 each the key of its opening row, n + 2 then n keys in full
        boolean derived = keysDerived(v);
        writeLength(v.keys == null ? -1 : derived ? 0 : v.keys.length + 1, out);
        if (v.keys != null && !derived) for (String key : v.keys) writeString(key, out);
        writeLength(v.open == null ? -1 : v.open.length, out);
        if (v.open == null) return;
        CompactRows.Writer rows = new CompactRows.Writer();
        for (OpenDistinct o : v.open) {
            out.writeBoolean(o != null);
            if (o == null) continue;
            Varints.writeVarInt(o.supporters, out);
            rows.write(o.opened, out);
        }
    }

    @Override
    protected OpenDistinctGroup read(DataInputView in) throws IOException {
        OpenDistinctGroup v = new OpenDistinctGroup();
        int keys = readLength(in);
        boolean derived = keys == 0;
        if (keys < 0) {
            v.keys = null;
        } else if (!derived) {
            v.keys = new String[keys - 1];
            for (int i = 0; i < v.keys.length; i++) v.keys[i] = readString(in);
        }
        int length = readLength(in);
        if (length < 0) {
            v.open = null;
            return v;
        }
        CompactRows.Reader rows = new CompactRows.Reader();
        v.open = new OpenDistinct[length];
        for (int i = 0; i < length; i++) {
            if (!in.readBoolean()) continue;
            OpenDistinct o = new OpenDistinct();
            o.supporters = Varints.readVarInt(in);
            o.opened = rows.read(in);
            v.open[i] = o;
        }
        if (derived) {
            v.keys = new String[length];
            for (int i = 0; i < length; i++) v.keys[i] = DistinctKeys.keyOf(v.open[i].opened);
        }
        return v;
    }

    /** Whether every key is that of its opening row, so that it need not be written. */
    private static boolean keysDerived(OpenDistinctGroup v) {
        if (v.keys == null || v.open == null || v.keys.length != v.open.length) return false;
        for (int i = 0; i < v.keys.length; i++) {
            OpenDistinct o = v.open[i];
            if (o == null || o.opened == null || o.opened.measure == null || v.keys[i] == null
                    || !v.keys[i].equals(DistinctKeys.keyOf(o.opened))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public TypeSerializerSnapshot<OpenDistinctGroup> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; records the format. */
    public static final class Snapshot extends FormatSnapshot<OpenDistinctGroup> {
        public Snapshot() {
            super(FORMAT, () -> INSTANCE);
        }
    }
}
