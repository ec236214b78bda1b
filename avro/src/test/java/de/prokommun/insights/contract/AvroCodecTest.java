package de.prokommun.insights.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.Payment;
import de.prokommun.insights.events.PaymentKind;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseLine;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

class AvroCodecTest {
    private static final AvroCodec<AnonymousEvent> CODEC = new AvroCodec<>(AnonymousEvent.class);

    /** An event whose payload is a union branch: the event is walked generically, the purchase codes itself. */
    private static AnonymousEvent purchase() {
        Purchase purchase = Purchase.newBuilder().setReceipt("R-1")
                .setLines(List.of(new PurchaseLine("backwaren", 2, 450L), new PurchaseLine("getränke", -1, -99L)))
                .setPayments(List.of(new Payment(PaymentKind.BONUS_POINTS, 100L), new Payment(PaymentKind.CARD, 251L)))
                .build();
        return AnonymousEvent.newBuilder().setEventId("e-1").setCity("musterstadt").setParticipant("baeckerei-schmidt")
                .setEventTime(1_728_000_000_000L).setReceivedTime(1_728_000_000_500L).setPseudonym("p-1")
                .setPayload(purchase).setCampaignCode(null).build();
    }

    @Test
    void theBytesAreThoseOfAvrosGenericWriterAndComeBackAsTheyWere() throws Exception {
        AnonymousEvent event = purchase();
        ByteBuffer generic = new BinaryMessageEncoder<AnonymousEvent>(SpecificData.getForClass(AnonymousEvent.class),
                AnonymousEvent.getClassSchema()).encode(event);
        byte[] expected = new byte[generic.remaining()];
        generic.get(expected);
        byte[] bytes = CODEC.encode(event);
        assertThat(bytes).isEqualTo(expected);
        assertThat(CODEC.decode(bytes)).isEqualTo(event);
    }

    @Test
    void anEventTheVersionBeforeProductCategoriesWroteIsStillReadWithoutCategories() throws Exception {
        Schema earlier = EarlierSchemas.load(EarlierSchemas.ANONYMOUS_EVENT_1);
        assertThat(earlier.getField("productCategories")).isNull();
        AnonymousEvent event = purchase();
        Object asWritten = GenericData.get().deepCopy(earlier, event); // the current record's fields, minus the new one
        ByteBuffer old = new BinaryMessageEncoder<>(GenericData.get(), earlier).encode(asWritten);
        byte[] bytes = new byte[old.remaining()];
        old.get(bytes);

        AnonymousEvent read = Topics.ANONYMOUS_EVENTS.codec().decode(bytes);

        assertThat(read).isEqualTo(event);
        assertThat(read.getProductCategories()).isNull();
        assertThatThrownBy(() -> CODEC.decode(bytes)).as("a codec that does not know the earlier schema")
                .isInstanceOf(MalformedRecordException.class);
    }

    @Test
    void productCategoriesComeBackAsTheyWere() {
        AnonymousEvent event = purchase();
        event.setProductCategories(Map.of("backwaren", "lebensmittel.backwaren"));
        assertThat(Topics.ANONYMOUS_EVENTS.codec().decode(Topics.ANONYMOUS_EVENTS.codec().encode(event))).isEqualTo(event);
    }

    @Test
    void theClassesSharedModelIsLeftAsAvroMadeIt() {
        assertThat(SpecificData.getForClass(AnonymousEvent.class).useCustomCoders()).isFalse();
        assertThat(SpecificData.getForClass(Purchase.class).useCustomCoders()).isFalse();
    }
}
