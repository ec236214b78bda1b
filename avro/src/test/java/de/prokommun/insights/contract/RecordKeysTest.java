package de.prokommun.insights.contract;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.GiftVoucherSold;
import de.prokommun.insights.events.InteractionEvent;
import org.junit.jupiter.api.Test;

class RecordKeysTest {

    private static InteractionEvent event(String resident, String card) {
        return InteractionEvent.newBuilder().setEventId("ev-1").setCity("musterstadt").setParticipant("p")
                .setEventTime(1).setReceivedTime(2).setResident(resident).setCard(card)
                .setPayload(GiftVoucherSold.newBuilder().setVoucher("v").setAmountCents(1).build()).build();
    }

    @Test
    void residentWinsThenCardThenEventId() {
        assertThat(RecordKeys.keyOf(event("R-1", "C-1"))).isEqualTo("R-1");
        assertThat(RecordKeys.keyOf(event(null, "C-1"))).isEqualTo("C-1");
        assertThat(RecordKeys.keyOf(event(null, null))).isEqualTo("ev-1");
    }
}
