package de.prokommun.insights.flink.campaign;

import static de.prokommun.insights.flink.campaign.CampaignEligibilityTest.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.Campaign;
import de.prokommun.insights.events.CampaignDelivery;
import de.prokommun.insights.events.CampaignStatus;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.ledger.Segment;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecipientCapTest {

    private KeyedOneInputStreamOperatorTestHarness<String, CampaignStep, CampaignDelivery> h;

    @BeforeEach
    void open() throws Exception {
        h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new RecipientCap(Fixtures.cities()),
                CampaignStep::campaignKey, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private static CampaignStep offer(String pseudonym, String resident, Long cap, long at) {
        Campaign c = CampaignEligibilityTest.campaign("c1", CampaignStatus.RUNNING);
        c.setRecipientCap(cap);
        CampaignStep s = new CampaignStep();
        s.kind = CampaignStep.Kind.OFFER;
        s.city = c.getCity();
        s.campaignId = c.getCampaignId();
        s.pseudonym = pseudonym;
        s.resident = resident;
        s.reasons = new String[] {"interest:sport"};
        s.segment = new Segment();
        s.segment.gender = "FEMALE";
        s.campaign = Topics.CAMPAIGNS.codec().encode(c);
        s.at = at;
        return s;
    }

    private static CampaignStep withdraw(String pseudonym, boolean erased, long at) {
        CampaignStep s = new CampaignStep();
        s.kind = CampaignStep.Kind.WITHDRAW;
        s.city = "musterstadt";
        s.campaignId = "c1";
        s.pseudonym = pseudonym;
        s.erased = erased;
        s.at = at;
        return s;
    }

    private static CampaignStep end(long at) {
        CampaignStep s = new CampaignStep();
        s.kind = CampaignStep.Kind.END;
        s.city = "musterstadt";
        s.campaignId = "c1";
        s.at = at;
        return s;
    }

    private List<String> outbox() {
        return h.extractOutputValues().stream().map(d -> d.getResident() + (d.getWithdrawn() ? " withdrawn" : "")).toList();
    }

    private List<PersonRecord> records() {
        List<PersonRecord> out = new ArrayList<>();
        var side = h.getSideOutput(RecipientCap.RECORDS);
        if (side != null) side.forEach(r -> out.add(r.getValue()));
        return out;
    }

    private long netDelivered() {
        long sum = 0;
        var side = h.getSideOutput(RecipientCap.ROWS);
        if (side != null) for (var r : side) sum += ((ContributionDelta) r.getValue()).getCount();
        return sum;
    }

    @Test
    void theCapAdmitsAtMostItsRecipientsAndAWithdrawnSlotStaysUsed() throws Exception {
        h.processElement(offer("p1", "R-1", 2L, NOW), NOW);
        h.processElement(offer("p1", "R-1", 2L, NOW), NOW);
        h.processElement(offer("p2", "R-2", 2L, NOW), NOW);
        h.processElement(withdraw("p2", false, NOW + 1), NOW);
        h.processElement(offer("p3", "R-3", 2L, NOW), NOW);
        h.processElement(withdraw("p3", false, NOW + 1), NOW);
        assertThat(outbox()).containsExactly("R-1", "R-2", "R-2 withdrawn");
        assertThat(netDelivered()).isEqualTo(2);
        CampaignDelivery first = h.extractOutputValues().get(0);
        assertThat(first.getReasons()).containsExactly("interest:sport");
        assertThat(first.getOffer().getCode()).isEqualTo("BROT10");

        assertThat(records()).extracting(r -> r.getPseudonym() + " " + r.getKind() + " " + r.getDeleted())
                .containsExactly("p1 campaign.delivered false", "p2 campaign.delivered false", "p2 campaign.delivered true");
        assertThat(records().get(0).getDetails()).isEqualTo("{\"campaign\":\"c1\",\"participant\":\"baeckerei-schmidt\","
                + "\"title\":\"Brötchen\",\"reasons\":[\"interest:sport\"]}");
        assertThat(records().get(2).getVersion()).isGreaterThan(records().get(1).getVersion());
    }

    @Test
    void erasureWithdrawsNegatesTheDeliveredRowAndForgetsThePerson() throws Exception {
        h.processElement(offer("p1", "R-1", null, NOW), NOW);
        h.processElement(offer("p2", "R-2", null, NOW), NOW);
        h.processElement(withdraw("p2", false, NOW + 1), NOW);
        assertThat(h.numKeyedStateEntries()).as("count, offer, recipients").isEqualTo(3);
        h.processElement(withdraw("p1", true, NOW + 2), NOW);
        h.processElement(withdraw("p2", true, NOW + 2), NOW);
        assertThat(outbox()).containsExactly("R-1", "R-2", "R-2 withdrawn", "R-1 withdrawn");
        assertThat(netDelivered()).isZero();
        assertThat(h.numKeyedStateEntries()).as("only the campaign's count and offer remain, no recipient").isEqualTo(2);
        assertThat(h.numProcessingTimeTimers()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void theEndWithdrawsEveryStandingOfferDropsEveryReferenceAndRefusesLaterOffers() throws Exception {
        h.processElement(offer("p1", "R-1", 5L, NOW), NOW);
        h.processElement(offer("p2", "R-2", 5L, NOW), NOW);
        h.processElement(offer("p3", "R-3", 5L, NOW), NOW);
        h.processElement(withdraw("p3", false, NOW + 1), NOW);
        assertThat(h.numKeyedStateEntries()).as("count, offer, recipients").isEqualTo(3);

        h.processElement(end(NOW + 2), NOW);
        h.processElement(withdraw("p1", false, NOW + 3), NOW);
        h.processElement(end(NOW + 3), NOW);
        assertThat(outbox()).as("each standing offer withdrawn once, also with an END from every matcher instance")
                .containsExactlyInAnyOrder("R-1", "R-2", "R-3", "R-3 withdrawn", "R-1 withdrawn", "R-2 withdrawn");
        assertThat(records()).filteredOn(PersonRecord::getDeleted).extracting(PersonRecord::getPseudonym)
                .containsExactlyInAnyOrder("p3", "p1", "p2");
        assertThat(h.numKeyedStateEntries()).as("the campaign, the end marker and the recipients (for their erasure)")
                .isEqualTo(3);
        assertThat(netDelivered()).as("the delivered rows stay").isEqualTo(3);

        h.processElement(offer("p4", "R-4", 5L, NOW + 4), NOW);
        h.processElement(withdraw("p2", true, NOW + 5), NOW);
        assertThat(outbox()).as("a late offer of an ended campaign is refused").hasSize(6);
        assertThat(netDelivered()).as("an erasure after the end takes the person out of the delivered count").isEqualTo(2);
        assertThat(h.numProcessingTimeTimers()).isZero();
    }
}
