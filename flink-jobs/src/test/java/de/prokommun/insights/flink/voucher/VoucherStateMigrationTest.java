package de.prokommun.insights.flink.voucher;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.flink.serialize.CompactSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * Voucher state written before the uncut amount was kept (format 1) is migrated on restore, through RocksDB as in the
 * jobs: the circulation side's facts come back with the uncut amount unknown (not judged), the person side's held
 * facts with the uncut amount they always kept. Before, such a savepoint was refused.
 */
class VoucherStateMigrationTest {

    private static final long EARLY = 1_700_000_000_000L;

    /** Puts the fact it gets into a map state with the given value serializer; emits every stored fact on "dump". */
    private static final class Store<T> extends KeyedProcessFunction<String, Object, T> {
        private final TypeSerializer<T> values;
        private transient MapState<String, T> state;

        Store(TypeSerializer<T> values) {
            this.values = values;
        }

        @Override
        public void open(OpenContext context) {
            state = getRuntimeContext().getMapState(new MapStateDescriptor<>("facts", StringSerializer.INSTANCE, values));
        }

        @Override
        @SuppressWarnings("unchecked")
        public void processElement(Object in, Context ctx, Collector<T> out) throws Exception {
            if ("dump".equals(in)) {
                for (T v : state.values()) out.collect(v);
            } else {
                state.put("k", (T) in);
            }
        }
    }

    /** What the build before format 2 wrote: format 1, and a snapshot that says so. */
    private interface Writer<T> { void write(T value, DataOutputView out) throws IOException; }
    private interface Reader<T> { T read(DataInputView in) throws IOException; }

    private static <T> TypeSerializer<T> formerBuild(Writer<T> formatOneWrite, Reader<T> formatOneRead,
                                                     TypeSerializerSnapshot<T> currentSnapshotClass) {
        return new CompactSerializer<>() {
            @Override public T createInstance() { return null; }
            @Override protected void write(T value, DataOutputView out) throws IOException { formatOneWrite.write(value, out); }
            @Override protected T read(DataInputView in) throws IOException { return formatOneRead.read(in); }
            @Override public TypeSerializerSnapshot<T> snapshotConfiguration() {
                try {
                    DataOutputSerializer out = new DataOutputSerializer(8);
                    out.writeInt(1); // the format the former build recorded
                    out.writeInt(de.prokommun.insights.flink.serialize.Fields.STRING_ENCODING);
                    currentSnapshotClass.readSnapshot(2, new DataInputDeserializer(out.getCopyOfBuffer()),
                            getClass().getClassLoader());
                    return currentSnapshotClass;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    private static <T> List<T> migrated(TypeSerializer<T> before, TypeSerializer<T> after, T written) throws Exception {
        OperatorSubtaskState saved;
        try (var h = harness(before)) {
            h.open();
            h.processElement(written, 1L);
            saved = h.snapshot(1L, 2L);
        }
        try (var h = harness(after)) {
            h.initializeState(saved);
            h.open();
            h.processElement("dump", 3L);
            List<T> out = new ArrayList<>();
            for (Object r : h.extractOutputValues()) {
                @SuppressWarnings("unchecked") T t = (T) r;
                out.add(t);
            }
            return out;
        }
    }

    private static <T> KeyedOneInputStreamOperatorTestHarness<String, Object, T> harness(TypeSerializer<T> values)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<String, Object, T>(
                new KeyedProcessOperator<>(new Store<>(values)), x -> "person", Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    @Test
    void aCirculationFactOfFormatOneComesBackWithItsUncutAmountUnknown() throws Exception {
        VoucherFact sale = VoucherLinksTest.fact("s", VoucherRole.SOLD, "V1", "buchhandlung", EARLY, 0, "35-49");
        List<VoucherFact> out = migrated(
                formerBuild(VoucherFactSerializer.FormatOne.INSTANCE::write, VoucherFactSerializer.FormatOne.INSTANCE::read,
                        new VoucherFactSerializer.Snapshot()),
                VoucherFactSerializer.INSTANCE, sale);
        assertThat(out).singleElement().satisfies(f -> {
            assertThat(f.factId).isEqualTo(sale.factId);
            assertThat(f.amountCents).isZero();
            assertThat(f.fullAmountCents).isEqualTo(VoucherFact.UNKNOWN_AMOUNT);
        });
        // a sale clamped to 0 whose uncut value is not known: its redemption is not judged (never a false dead letter)
        VoucherFact redemption = VoucherLinksTest.fact("r", VoucherRole.REDEEMED, "V1", "cafe", EARLY + 1, 10_000, "18-24");
        assertThat(VoucherLinks.overRedeemed(List.of(out.get(0), redemption))).isEmpty();
        VoucherFact knownSale = VoucherLinksTest.fact("s", VoucherRole.SOLD, "V1", "buchhandlung", EARLY, 0, "35-49");
        assertThat(VoucherLinks.overRedeemed(List.of(knownSale, redemption)))
                .as("with a known uncut value of 0 the same redemption is judged").isEqualTo(Set.of(redemption.factId));
    }

    @Test
    void aHeldFactOfFormatOneGetsBackTheUncutAmountItKept() throws Exception {
        VoucherFact fact = VoucherLinksTest.fact("s", VoucherRole.SOLD, "V1", "buchhandlung", EARLY, 2_500, "35-49");
        HeldVoucherFact held = new HeldVoucherFact(fact, 7_000, 202603);
        List<HeldVoucherFact> out = migrated(
                formerBuild(HeldVoucherFactSerializer.FormatOne.INSTANCE::write, HeldVoucherFactSerializer.FormatOne.INSTANCE::read,
                        new HeldVoucherFactSerializer.Snapshot()),
                HeldVoucherFactSerializer.INSTANCE, held);
        assertThat(out).singleElement().satisfies(h -> {
            assertThat(h.fullAmountCents).isEqualTo(7_000);
            assertThat(h.month).isEqualTo(202603);
            assertThat(h.fact.amountCents).isEqualTo(2_500);
            assertThat(h.fact.fullAmountCents).isEqualTo(7_000);
        });
    }

    @Test
    void aFormatNoBuildWroteIsStillRefused() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(8);
        out.writeInt(7);
        out.writeInt(de.prokommun.insights.flink.serialize.Fields.STRING_ENCODING);
        VoucherFactSerializer.Snapshot future = new VoucherFactSerializer.Snapshot();
        future.readSnapshot(2, new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(new VoucherFactSerializer.Snapshot().resolveSchemaCompatibility(future).isIncompatible()).isTrue();
    }
}
