package de.prokommun.insights.flink.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The first-holder layout of per-person receipt stores (issue 15): one participant's receipt never finds another's. */
class ReceiptRefTest {
    /** A store of the first-holder layout: key → participant that reported the receipt. */
    private final Map<String, String> store = new HashMap<>();

    private ReceiptRef.Slot<String> slot(String participant, String receipt) throws Exception {
        return new ReceiptRef(participant, receipt).slot("", store::get, p -> p);
    }

    private void put(String participant, String receipt) throws Exception {
        store.put(slot(participant, receipt).key(), participant);
    }

    @Test
    void theFirstHolderKeepsTheBareReferenceAsStateWrittenBeforeTheRuleDid() throws Exception {
        put("baeckerei", "R-1");
        assertThat(store).containsOnlyKeys("R-1");
        assertThat(slot("baeckerei", "R-1").held()).isEqualTo("baeckerei");
    }

    @Test
    void aSecondShopsReceiptWithTheSameNumberIsQualifiedAndFindsOnlyItsOwn() throws Exception {
        put("baeckerei", "R-1");
        ReceiptRef.Slot<String> wine = slot("weinhandlung", "R-1");
        assertThat(wine.held()).as("the bakery's receipt is not the wine shop's").isNull();
        assertThat(wine.heldByAnotherOnly()).isTrue();
        assertThat(wine.firstHolder()).isEqualTo("baeckerei");
        put("weinhandlung", "R-1");
        assertThat(store).containsOnlyKeys("R-1", "weinhandlung\u001fR-1");
        assertThat(slot("weinhandlung", "R-1").held()).isEqualTo("weinhandlung");
        assertThat(ReceiptRef.receiptOfKey("", "weinhandlung\u001fR-1")).isEqualTo("R-1");
        assertThat(ReceiptRef.receiptOfKey("", "R-1")).isEqualTo("R-1");
    }

    @Test
    void aQualifiedReceiptIsStillFoundAfterTheFirstHolderLeftAndNeverStoredTwice() throws Exception {
        put("baeckerei", "R-1");
        put("weinhandlung", "R-1");
        store.remove("R-1"); // the bakery retracts its receipt
        ReceiptRef.Slot<String> wine = slot("weinhandlung", "R-1");
        assertThat(wine.held()).isEqualTo("weinhandlung");
        assertThat(wine.key()).isEqualTo("weinhandlung\u001fR-1");
        assertThat(wine.heldByAnotherOnly()).isFalse();
        put("baeckerei", "R-1"); // the free bare key goes to the next new receipt
        assertThat(store).containsOnlyKeys("R-1", "weinhandlung\u001fR-1");
        assertThat(slot("metzgerei", "R-1").held()).isNull();
    }
}
