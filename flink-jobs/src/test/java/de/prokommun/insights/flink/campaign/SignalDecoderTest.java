package de.prokommun.insights.flink.campaign;

import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.CampaignOpened;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.GiftVoucherRedeemed;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.events.OffersObjected;
import de.prokommun.insights.events.PaymentKind;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.flink.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignalDecoderTest {

    @Test
    void onlyCampaignOpenedPassesThePrefilterAndTheDecoderAgrees() throws Exception {
        SignalDecoder decoder = new SignalDecoder(PersonSignal.Kind.OPENED);
        long t = at(2026, 3, 10);
        List<AnonymousEvent> others = List.of(
                anonymous("p", "e1", t, Fixtures.registration(1990, HouseholdType.SINGLE, true, "sport")),
                anonymous("p", "e2", t, Fixtures.purchase("B-1", PaymentKind.CARD)),
                anonymous("p", "e3", t, new GiftVoucherRedeemed("V", 100L, null)),
                anonymous("p", "e4", t, new OffersObjected("all", false)),
                anonymous("p", "e5", t, new ErasureRequested(null)));
        for (AnonymousEvent e : others) {
            byte[] bytes = Topics.ANONYMOUS_EVENTS.codec().encode(e);
            assertThat(OpenedPrefilter.mayBeOpened(bytes)).as(e.getPayload().getClass().getSimpleName()).isFalse();
            assertThat(decoder.decode(bytes)).isNull();
        }
        byte[] opened = Topics.ANONYMOUS_EVENTS.codec().encode(anonymous("p", "e6", t, new CampaignOpened("c-1")));
        assertThat(OpenedPrefilter.mayBeOpened(opened)).isTrue();
        PersonSignal s = decoder.decode(opened);
        assertThat(s.kind).isEqualTo(PersonSignal.Kind.OPENED);
        assertThat(s.campaignId).isEqualTo("c-1");
        assertThat(s.pseudonym).isEqualTo("p");
        assertThat(s.eventTime).isEqualTo(t);
        assertThat(OpenedPrefilter.mayBeOpened("not avro at all".getBytes())).as("the full decode decides").isTrue();
    }

    @Test
    void purchaseRecordsCarryTheirCodeAndOtherOrDeletedRecordsAreSkipped() throws Exception {
        SignalDecoder decoder = new SignalDecoder(PersonSignal.Kind.PURCHASE);
        PersonRecord buy = PersonRecord.newBuilder().setPseudonym("p").setCity(Fixtures.CITY).setRecordId("purchase:s:1")
                .setKind("purchase").setParticipant("s").setEventTime(5L)
                .setDetails("{\"lines\":[{\"campaignCode\":\"NOT-THIS\"}],\"payments\":[],\"campaignCode\":\"BROT\"}")
                .setVersion(1L).build();
        PersonSignal s = decoder.decode(Topics.PERSON_RECORDS.codec().encode(buy));
        assertThat(s.campaignCode).as("the top-level field only").isEqualTo("BROT");
        assertThat(s.participant).isEqualTo("s");
        assertThat(s.recordKind).isEqualTo("purchase");
        buy.setDetails("{\"lines\":[]}");
        assertThat(decoder.decode(Topics.PERSON_RECORDS.codec().encode(buy)).campaignCode).isNull();
        buy.setDeleted(true);
        assertThat(decoder.decode(Topics.PERSON_RECORDS.codec().encode(buy))).isNull();
        buy.setDeleted(false);
        buy.setKind("participant.followed");
        assertThat(decoder.decode(Topics.PERSON_RECORDS.codec().encode(buy))).isNull();
    }

    @Test
    void undecodableInputBecomesADeadLetterAndATombstoneIsSkipped() throws Exception {
        try (var h = org.apache.flink.streaming.util.ProcessFunctionTestHarnesses.forProcessFunction(
                new SignalDecoder(PersonSignal.Kind.PROFILE))) {
            h.processElement(new de.prokommun.insights.flink.events.RawRecord("profiles", 1, 42, "{not json".getBytes()), 0L);
            h.processElement(new de.prokommun.insights.flink.events.RawRecord("profiles", 1, 43, null), 0L);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.getSideOutput(de.prokommun.insights.flink.events.DeadLetters.TAG)).singleElement().satisfies(r -> {
                assertThat(r.getValue().getStage()).isEqualTo(SignalDecoder.STAGE);
                assertThat(r.getValue().getReason()).startsWith("undecodable profile input");
                assertThat(r.getValue().getSourceOffset()).isEqualTo(42L);
            });
        }
        try (var h = org.apache.flink.streaming.util.ProcessFunctionTestHarnesses.forProcessFunction(new CampaignDecoder())) {
            h.processElement(new de.prokommun.insights.flink.events.RawRecord("campaigns", 0, 7, "x".getBytes()), 0L);
            assertThat(h.getSideOutput(de.prokommun.insights.flink.events.DeadLetters.TAG)).singleElement()
                    .satisfies(r -> assertThat(r.getValue().getReason()).startsWith("undecodable Campaign"));
        }
    }
}
