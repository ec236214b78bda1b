package de.prokommun.insights.flink.anonymize;

import de.prokommun.insights.contract.CitySecrets;
import static de.prokommun.insights.flink.Fixtures.at;
import static de.prokommun.insights.flink.Fixtures.raw;
import static de.prokommun.insights.flink.Fixtures.residentRegistered;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.CampaignOpened;
import de.prokommun.insights.events.DeadLetter;
import de.prokommun.insights.events.OffersObjected;
import de.prokommun.insights.events.ParticipantFollowed;
import de.prokommun.insights.events.ParticipantUnfollowed;
import de.prokommun.insights.events.PaymentKind;
import de.prokommun.insights.validation.OwnShop;
import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.events.DeadLetters;
import de.prokommun.insights.flink.events.RawRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class AnonymiseFunctionTest {

    @Test
    void poisonAndInvalidRecordsBecomeDeadLettersAndTheRestFlows() throws Exception {
        AnonymiseFunction fn = new AnonymiseFunction(new Pseudonymizer(CitySecrets.parse(Fixtures.SECRETS), Fixtures.cities()));
        try (OneInputStreamOperatorTestHarness<RawRecord, PseudonymisedEvent> h = ProcessFunctionTestHarnesses.forProcessFunction(fn)) {
            byte[] poison = "not avro".getBytes(StandardCharsets.UTF_8);
            h.processElement(new RawRecord("raw", 0, 7, poison), 0L);
            h.processElement(record(8, raw("bad-date", "R-1", null, at(2026, 3, 10), residentRegistered("1990-13-45", "45481", true))), 0L);
            h.processElement(record(9, raw("ok", "R-1", null, at(2026, 3, 10), residentRegistered("1990-01-05", "45481", true))), 0L);
            h.processElement(record(10, raw("card-only", null, "C-1", at(2026, 3, 10), Fixtures.purchase("B", PaymentKind.CARD))), 0L);

            assertThat(h.extractOutputValues()).extracting(e -> e.event.getEventId()).containsExactly("ok");
            assertThat(h.getSideOutput(AnonymiseFunction.CARD_ONLY)).singleElement()
                    .satisfies(r -> assertThat(r.getValue().event.getEventId()).isEqualTo("card-only"));
            List<DeadLetter> dead = new ArrayList<>();
            h.getSideOutput(DeadLetters.TAG).forEach(r -> dead.add(r.getValue()));
            assertThat(dead).hasSize(2);
            assertThat(dead.get(0).getReason()).startsWith("undecodable InteractionEvent");
            assertThat(dead.get(0).getSourceOffset()).isEqualTo(7L);
            assertThat(dead.get(0).getPayload().array()).isEqualTo(poison);
            assertThat(dead.get(1).getReason()).startsWith("birthDate:");
            assertThat(dead.get(1).getEventId()).isEqualTo("bad-date");
            assertThat(dead.get(1).getStage()).isEqualTo(AnonymiseFunction.STAGE);
        }
    }

    @Test
    void aFollowOfAnotherShopThatReachedKafkaIsADeadLetterNeverCounted() throws Exception {
        AnonymiseFunction fn = new AnonymiseFunction(new Pseudonymizer(CitySecrets.parse(Fixtures.SECRETS), Fixtures.cities()),
                new OwnShop("portal"));
        try (OneInputStreamOperatorTestHarness<RawRecord, PseudonymisedEvent> h = ProcessFunctionTestHarnesses.forProcessFunction(fn)) {
            long t = at(2026, 3, 10);
            // a drinks shop reports that residents follow the wine shop (issue 15, finding 2)
            h.processElement(record(20, byParticipant("forged-follow", "getraenke-kurz", new ParticipantFollowed("weinhandlung-berg"), t)), 0L);
            h.processElement(record(21, byParticipant("forged-unfollow", "getraenke-kurz", new ParticipantUnfollowed("weinhandlung-berg"), t)), 0L);
            h.processElement(record(22, byParticipant("own-follow", "getraenke-kurz", new ParticipantFollowed("getraenke-kurz"), t)), 0L);
            h.processElement(record(23, byParticipant("portal-follow", "portal", new ParticipantFollowed("weinhandlung-berg"), t)), 0L);

            assertThat(h.extractOutputValues()).extracting(e -> e.event.getEventId())
                    .containsExactly("own-follow", "portal-follow");
            List<DeadLetter> dead = new ArrayList<>();
            h.getSideOutput(DeadLetters.TAG).forEach(r -> dead.add(r.getValue()));
            assertThat(dead).extracting(DeadLetter::getEventId).containsExactly("forged-follow", "forged-unfollow");
            assertThat(dead.get(0).getStage()).isEqualTo(AnonymiseFunction.STAGE);
            assertThat(dead.get(0).getSourceOffset()).isEqualTo(20L);
            assertThat(dead.get(0).getReason()).startsWith("forged assertion about another participant: data.followed: ")
                    .contains("'getraenke-kurz' may report follows of itself only").contains("'weinhandlung-berg'");
        }
    }

    /** Issue 18: objections, opened offers and the campaign code reach the profile and campaign jobs. */
    @Test
    void objectionsOpenedOffersAndTheCampaignCodePassThroughAndOnlyARegistrationCarriesTheReference() throws Exception {
        AnonymiseFunction fn = new AnonymiseFunction(new Pseudonymizer(CitySecrets.parse(Fixtures.SECRETS), Fixtures.cities()));
        try (OneInputStreamOperatorTestHarness<RawRecord, PseudonymisedEvent> h = ProcessFunctionTestHarnesses.forProcessFunction(fn)) {
            long t = at(2026, 3, 10);
            h.processElement(record(1, raw("reg", "R-1", null, t, residentRegistered("1990-01-05", "45481", true))), 0L);
            h.processElement(record(2, raw("obj", "R-1", null, t, new OffersObjected("participant:baeckerei-schmidt", false))), 0L);
            h.processElement(record(3, raw("opened", "R-1", null, t, new CampaignOpened("c-1"))), 0L);
            de.prokommun.insights.events.InteractionEvent redeemed = raw("buy", "R-1", null, t, Fixtures.purchase("B-1", PaymentKind.CARD));
            redeemed.setCampaignCode("FRUEHLING10");
            h.processElement(record(4, redeemed), 0L);
            h.processElement(record(5, raw("card-buy", null, "C-1", t, Fixtures.purchase("B-2", PaymentKind.CARD))), 0L);
            h.processElement(record(6, raw("obj-without-resident", null, "C-1", t, new OffersObjected("all", false))), 0L);

            List<PseudonymisedEvent> out = h.extractOutputValues();
            assertThat(out).extracting(e -> e.event.getEventId()).containsExactly("reg", "obj", "opened", "buy");
            assertThat(out.get(1).event.getPayload()).isEqualTo(new OffersObjected("participant:baeckerei-schmidt", false));
            assertThat(out.get(2).event.getPayload()).isEqualTo(new CampaignOpened("c-1"));
            assertThat(out.get(3).event.getCampaignCode()).isEqualTo("FRUEHLING10");
            assertThat(out.get(0).event.getCampaignCode()).isNull();
            assertThat(out).extracting(e -> e.residentReference).containsExactly("R-1", null, null, null);
            List<DeadLetter> dead = new ArrayList<>();
            h.getSideOutput(DeadLetters.TAG).forEach(r -> dead.add(r.getValue()));
            assertThat(dead).extracting(DeadLetter::getEventId).as("an objection needs the resident").containsExactly("obj-without-resident");
        }
    }

    private static de.prokommun.insights.events.InteractionEvent byParticipant(String eventId, String participant,
                                                                              Object payload, long time) {
        de.prokommun.insights.events.InteractionEvent e = raw(eventId, "R-7", null, time, payload);
        e.setParticipant(participant);
        return e;
    }

    private static RawRecord record(long offset, de.prokommun.insights.events.InteractionEvent e) {
        return new RawRecord("raw", 0, offset, Topics.RAW_EVENTS.codec().encode(e));
    }
}
