package de.prokommun.insights.flink.serialize;

import static de.prokommun.insights.flink.serialize.SerializerChecks.assertRoundTrip;
import static de.prokommun.insights.flink.serialize.SerializerChecks.bytesOf;
import static de.prokommun.insights.flink.serialize.SerializerChecks.pojoSerializer;
import static de.prokommun.insights.flink.serialize.SerializerChecks.randomInstance;
import static de.prokommun.insights.flink.serialize.SerializerChecks.randomLength;
import static de.prokommun.insights.flink.serialize.SerializerChecks.restoredCompatibility;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.flink.journey.EmittedRow;
import de.prokommun.insights.flink.journey.EmittedRowSerializer;
import de.prokommun.insights.flink.journey.EmittedScope;
import de.prokommun.insights.flink.journey.EmittedScopeSerializer;
import de.prokommun.insights.flink.journey.JourneyFact;
import de.prokommun.insights.flink.journey.JourneyFactSerializer;
import de.prokommun.insights.flink.journey.JourneyIndex;
import de.prokommun.insights.flink.journey.JourneyIndexSerializer;
import de.prokommun.insights.flink.journey.MonthFacts;
import de.prokommun.insights.flink.journey.MonthSet;
import de.prokommun.insights.flink.journey.MonthSetSerializer;
import de.prokommun.insights.flink.journey.MonthFactsSerializer;
import de.prokommun.insights.flink.journey.YearBuyers;
import de.prokommun.insights.flink.journey.YearBuyersSerializer;
import de.prokommun.insights.flink.ledger.ClampedTotals;
import de.prokommun.insights.flink.ledger.ClampedTotalsSerializer;
import de.prokommun.insights.flink.ledger.LedgerRow;
import de.prokommun.insights.flink.ledger.LedgerRowSerializer;
import de.prokommun.insights.flink.ledger.OpenDistinct;
import de.prokommun.insights.flink.ledger.OpenDistinctGroup;
import de.prokommun.insights.flink.ledger.OpenDistinctGroupSerializer;
import de.prokommun.insights.flink.ledger.OpenDistinctSerializer;
import de.prokommun.insights.flink.ledger.ReceiptContribution;
import de.prokommun.insights.flink.ledger.ReceiptContributionSerializer;
import de.prokommun.insights.flink.ledger.ReceiptChunk;
import de.prokommun.insights.flink.ledger.ReceiptChunkSerializer;
import de.prokommun.insights.flink.ledger.Segment;
import de.prokommun.insights.flink.ledger.SegmentSerializer;
import de.prokommun.insights.flink.records.LiveRecord;
import de.prokommun.insights.flink.records.LiveRecordSerializer;
import de.prokommun.insights.flink.voucher.HeldVoucherFact;
import de.prokommun.insights.flink.voucher.HeldVoucherFactSerializer;
import de.prokommun.insights.flink.voucher.VoucherFact;
import de.prokommun.insights.flink.voucher.VoucherFactSerializer;
import de.prokommun.insights.flink.voucher.VoucherRole;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hand-written serializer of the ledger, person-record and journey states: random values (all public fields
 * filled by reflection, nested values and arrays included, nulls now and then, extreme numbers) survive the round
 * trip and the copy exactly, take no more bytes than with Flink's POJO serializer, and a restored snapshot is
 * compatible as is.
 */
class StateSerializersTest {

    record Case<T>(Class<T> type, CompactSerializer<T> serializer) {
        @Override public String toString() { return type.getSimpleName(); }
    }

    static List<Case<?>> cases() {
        return List.of(
                new Case<>(Segment.class, SegmentSerializer.INSTANCE),
                new Case<>(LedgerRow.class, LedgerRowSerializer.INSTANCE),
                new Case<>(ReceiptContribution.class, ReceiptContributionSerializer.INSTANCE),
                new Case<>(OpenDistinct.class, OpenDistinctSerializer.INSTANCE),
                new Case<>(OpenDistinctGroup.class, OpenDistinctGroupSerializer.INSTANCE),
                new Case<>(ClampedTotals.class, ClampedTotalsSerializer.INSTANCE),
                new Case<>(ReceiptChunk.class, ReceiptChunkSerializer.INSTANCE),
                new Case<>(LiveRecord.class, LiveRecordSerializer.INSTANCE),
                new Case<>(JourneyFact.class, JourneyFactSerializer.INSTANCE),
                new Case<>(MonthFacts.class, MonthFactsSerializer.INSTANCE),
                new Case<>(YearBuyers.class, YearBuyersSerializer.INSTANCE),
                new Case<>(MonthSet.class, MonthSetSerializer.INSTANCE),
                new Case<>(JourneyIndex.class, JourneyIndexSerializer.INSTANCE),
                new Case<>(EmittedScope.class, EmittedScopeSerializer.INSTANCE),
                new Case<>(EmittedRow.class, EmittedRowSerializer.INSTANCE),
                new Case<>(VoucherFact.class, VoucherFactSerializer.INSTANCE),
                new Case<>(HeldVoucherFact.class, HeldVoucherFactSerializer.INSTANCE));
    }

    /** Nested state classes and arrays of them, filled the same way (depth-limited through small arrays). */
    private static final SerializerChecks.Filler NESTED = new SerializerChecks.Filler() {
        @Override
        public Object valueFor(Class<?> type, Random random) {
            if (type == Segment.class || type == LedgerRow.class || type == OpenDistinct.class
                    || type == JourneyFact.class || type == MonthSet.class || type == VoucherFact.class) {
                return randomInstance(type, random, this);
            }
            if (type == VoucherRole.class) return VoucherRole.values()[random.nextInt(VoucherRole.values().length)];
            if (type == LedgerRow[].class) return array(LedgerRow.class, LedgerRow[]::new, random);
            if (type == OpenDistinct[].class) return array(OpenDistinct.class, OpenDistinct[]::new, random);
            if (type == JourneyFact[].class) return array(JourneyFact.class, JourneyFact[]::new, random);
            return null;
        }

        private <T> T[] array(Class<T> element, IntFunction<T[]> make, Random random) {
            T[] a = make.apply(Math.min(randomLength(random), 12));
            for (int i = 0; i < a.length; i++) a[i] = random.nextInt(9) == 0 ? null : randomInstance(element, random, this);
            return a;
        }
    };

    @ParameterizedTest
    @MethodSource("cases")
    <T> void randomValuesSurviveTheRoundTripAndTheCopy(Case<T> c) throws Exception {
        Random random = new Random(c.type().getName().hashCode());
        for (int i = 0; i < 2_000; i++) assertRoundTrip(c.serializer(), randomInstance(c.type(), random, NESTED));
        assertRoundTrip(c.serializer(), c.serializer().createInstance());
        assertRoundTrip(c.serializer(), null);
    }

    @ParameterizedTest
    @MethodSource("cases")
    <T> void aValueTakesNoMoreBytesThanWithThePojoSerializer(Case<T> c) throws Exception {
        TypeSerializer<T> pojo = pojoSerializer(c.type());
        Random random = new SerializerChecks.Latin1Text(c.type().getName().hashCode() + 1);
        for (int i = 0; i < 500; i++) {
            T value = randomInstance(c.type(), random, NESTED);
            assertThat(bytesOf(c.serializer(), value).length).as("%s #%d", c, i)
                    .isLessThanOrEqualTo(bytesOf(pojo, value).length);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    <T> void aRestoredSnapshotIsCompatibleAsIs(Case<T> c) throws Exception {
        assertThat(restoredCompatibility(c.serializer()).isCompatibleAsIs()).isTrue();
    }
}
