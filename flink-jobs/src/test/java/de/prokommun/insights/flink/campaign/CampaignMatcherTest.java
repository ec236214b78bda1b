package de.prokommun.insights.flink.campaign;

import static de.prokommun.insights.flink.campaign.CampaignEligibilityTest.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.contract.Topics;
import de.prokommun.insights.events.Campaign;
import de.prokommun.insights.events.CampaignStatus;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.flink.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The person side of campaigns in Flink's harness: assignment, offers, caps, leaving, results, erasure. */
class CampaignMatcherTest {

    private static final String ANNA = "pseudonym-anna";
    private KeyedBroadcastOperatorTestHarness<String, PersonSignal, Campaign, CampaignStep> h;

    @BeforeEach
    void open() throws Exception {
        h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new CampaignMatcher(Fixtures.cities(), 2),
                (PersonSignal s) -> s.pseudonym, Types.STRING, CampaignMatcher.CAMPAIGNS);
        h.setProcessingTime(NOW);
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    static PersonSignal profile(ProfileRow row) {
        PersonSignal s = PersonSignal.of(PersonSignal.Kind.PROFILE, row.getCity(), row.getPseudonym());
        s.profile = Topics.PROFILES.codec().encode(row);
        return s;
    }

    static PersonSignal contact(String pseudonym, String resident) {
        PersonSignal s = PersonSignal.of(PersonSignal.Kind.CONTACT, "musterstadt", pseudonym);
        s.resident = resident;
        return s;
    }

    private static ProfileRow anna() {
        return ProfileRow.newBuilder(CampaignMatchTest.row()).setPseudonym(ANNA).build();
    }

    private static Campaign campaign(String id, int controlPerMille) {
        Campaign c = CampaignEligibilityTest.campaign(id, CampaignStatus.RUNNING);
        c.setControlPerMille(controlPerMille);
        return c;
    }

    private List<String> steps() {
        return h.extractOutputValues().stream().map(s -> s.kind + " " + s.campaignId + (s.erased ? " erased" : "")
                + (s.resident == null ? "" : " " + s.resident)).toList();
    }

    private List<ContributionDelta> rows() {
        List<ContributionDelta> out = new ArrayList<>();
        var side = h.getSideOutput(CampaignMatcher.ROWS);
        if (side != null) side.forEach(r -> out.add(r.getValue()));
        return out;
    }

    private Map<String, Long> net() {
        Map<String, Long> net = new TreeMap<>();
        for (ContributionDelta d : rows()) net.merge(d.getMeasure() + "/" + d.getCounterpart(), d.getCount(), Long::sum);
        net.values().removeIf(v -> v == 0);
        return net;
    }

    private int stateEntries() {
        return ((HeapKeyedStateBackend<?>) ((AbstractStreamOperator<?>) h.getTwoInputOperator()).getKeyedStateBackend())
                .numKeyValueStateEntries();
    }

    @Test
    void aMatchingConsentingResidentWithAContactGetsTheOfferOnceAndAWithdrawalOnObjecting() throws Exception {
        h.processBroadcastElement(campaign("c1", 0), NOW);
        h.processElement(profile(anna()), NOW);
        assertThat(steps()).as("no contact yet: assigned, not offered").isEmpty();
        assertThat(net()).containsExactly(Map.entry("campaign_treatment/c1", 1L));

        h.processElement(contact(ANNA, "R-0815"), NOW);
        assertThat(steps()).containsExactly("OFFER c1 R-0815");
        assertThat(h.extractOutputValues().get(0).reasons).containsExactly("interest:sport");
        h.processElement(profile(ProfileRow.newBuilder(anna()).setDistrict("Mitte").build()), NOW);
        assertThat(steps()).as("at most once").hasSize(1);
        assertThat(net()).as("assigned once").containsExactly(Map.entry("campaign_treatment/c1", 1L));

        h.processElement(profile(ProfileRow.newBuilder(anna()).setOfferObjections(List.of("participant:baeckerei-schmidt")).build()), NOW);
        assertThat(steps()).containsExactly("OFFER c1 R-0815", "WITHDRAW c1");
        h.processElement(profile(anna()), NOW);
        assertThat(steps()).as("objection lifted: never delivered twice").hasSize(2);
    }

    @Test
    void aNewCampaignReachesEveryoneAlreadyInStateAndTheControlGroupIsNeverContacted() throws Exception {
        h.processElement(profile(anna()), NOW);
        h.processElement(contact(ANNA, "R-0815"), NOW);
        ProfileRow bert = ProfileRow.newBuilder(anna()).setPseudonym("pseudonym-bert").setConsentOffers(false).build();
        h.processElement(profile(bert), NOW);
        h.processElement(contact("pseudonym-bert", "R-0816"), NOW);
        assertThat(steps()).isEmpty();

        h.processBroadcastElement(campaign("c1", 0), NOW);
        assertThat(steps()).as("only the consenting resident").containsExactly("OFFER c1 R-0815");
        h.processBroadcastElement(campaign("c2", 1000), NOW);
        assertThat(steps()).hasSize(1);
        assertThat(net()).containsEntry("campaign_control/c2", 1L);

        Campaign ended = campaign("c1", 0);
        ended.setStatus(CampaignStatus.ENDED);
        h.processBroadcastElement(ended, NOW);
        assertThat(steps()).as("the recipient cap withdraws on the end").containsExactly("OFFER c1 R-0815", "END c1");
    }

    /** Persons with a standing entry for the campaign, read from the keyed state backend. */
    private int standingIn(String campaignId) throws Exception {
        var backend = ((AbstractStreamOperator<?>) h.getTwoInputOperator()).<String>getKeyedStateBackend();
        Object before = backend.getCurrentKey();
        int n = 0;
        for (String key : backend.getKeys(CampaignMatcher.STANDING.getName(), VoidNamespace.INSTANCE).toList()) {
            backend.setCurrentKey(key);
            var state = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                    CampaignMatcher.STANDING);
            if (state.contains(campaignId)) n++;
        }
        if (before != null) backend.setCurrentKey((String) before);
        return n;
    }

    private List<String> broadcastKeys() throws Exception {
        List<String> keys = new ArrayList<>();
        ((AbstractStreamOperator<?>) h.getTwoInputOperator()).getOperatorStateBackend()
                .getBroadcastState(CampaignMatcher.CAMPAIGNS).entries().forEach(e -> keys.add(e.getKey()));
        return keys;
    }

    private int broadcastValueLength(String key) throws Exception {
        return ((AbstractStreamOperator<?>) h.getTwoInputOperator()).getOperatorStateBackend()
                .getBroadcastState(CampaignMatcher.CAMPAIGNS).get(key).length;
    }

    @Test
    void afterTheEndEachPersonKeepsOnlyWhatTheirErasureNegatesAndErasureStillTakesThemOut() throws Exception {
        for (int i = 0; i < 50; i++) {
            h.processElement(profile(ProfileRow.newBuilder(anna()).setPseudonym("p-" + i).build()), NOW);
        }
        h.processBroadcastElement(campaign("c1", 0), NOW);
        assertThat(standingIn("c1")).isEqualTo(50);
        Campaign ended = campaign("c1", 0);
        ended.setStatus(CampaignStatus.ENDED);
        h.processBroadcastElement(ended, NOW + 1);
        assertThat(standingIn("c1")).as("inert, kept for the erasure").isEqualTo(50);
        assertThat(net()).containsEntry("campaign_treatment/c1", 50L);

        for (int i = 0; i < 10; i++) {
            h.processElement(profile(ProfileRow.newBuilder(anna()).setPseudonym("p-" + i).setDeleted(true).build()), NOW + 2);
        }
        assertThat(net()).as("the erased leave the ended campaign's figures").containsEntry("campaign_treatment/c1", 40L);
        assertThat(standingIn("c1")).isEqualTo(40);
    }

    @Test
    void anEndedCampaignLeavesTheBroadcastNeverOffersAgainAndItsPersonsCanStillBeErased() throws Exception {
        ProfileRow bert = ProfileRow.newBuilder(anna()).setPseudonym("pseudonym-bert").build();
        ProfileRow carl = ProfileRow.newBuilder(anna()).setPseudonym("pseudonym-carl").build();
        for (ProfileRow p : List.of(anna(), bert, carl)) h.processElement(profile(p), NOW);
        h.processElement(contact(ANNA, "R-0815"), NOW);
        h.processElement(contact("pseudonym-bert", "R-0816"), NOW);
        h.processBroadcastElement(campaign("c1", 0), NOW);
        h.processBroadcastElement(campaign("c2", 1000), NOW);
        assertThat(standingIn("c1")).isEqualTo(3);
        assertThat(standingIn("c2")).isEqualTo(3);
        assertThat(broadcastKeys()).containsExactlyInAnyOrder("musterstadt/c1", "musterstadt/c2");
        assertThat(steps()).containsExactly("OFFER c1 R-0815", "OFFER c1 R-0816");

        Campaign ended = campaign("c1", 0);
        ended.setStatus(CampaignStatus.ENDED);
        h.processBroadcastElement(ended, NOW + 1);
        assertThat(standingIn("c1")).as("each person's entry of c1 stays, inert, for their erasure").isEqualTo(3);
        assertThat(standingIn("c2")).as("the other campaign untouched").isEqualTo(3);
        assertThat(broadcastKeys()).as("c1 only as its end marker").containsExactlyInAnyOrder("musterstadt/c1",
                "musterstadt/c2");
        assertThat(broadcastValueLength("musterstadt/c1")).isZero();
        assertThat(steps()).containsExactly("OFFER c1 R-0815", "OFFER c1 R-0816", "END c1");
        Map<String, Long> rowsAtEnd = net();

        h.processElement(contact("pseudonym-carl", "R-0817"), NOW + 2);
        h.processElement(profile(ProfileRow.newBuilder(carl).setDistrict("Mitte").build()), NOW + 2);
        PersonSignal buy = PersonSignal.of(PersonSignal.Kind.PURCHASE, "musterstadt", ANNA);
        buy.participant = "baeckerei-schmidt";
        buy.recordKind = "purchase";
        buy.campaignCode = "BROT10";
        buy.eventTime = NOW + 3;
        h.processElement(buy, NOW + 3);
        PersonSignal opened = PersonSignal.of(PersonSignal.Kind.OPENED, "musterstadt", "pseudonym-bert");
        opened.campaignId = "c1";
        opened.eventTime = NOW + 3;
        h.processElement(opened, NOW + 3);
        h.processBroadcastElement(campaign("c1", 0), NOW + 4); // a stale RUNNING record of it
        assertThat(steps()).as("an ended campaign never offers again").hasSize(3);
        assertThat(net()).as("no row of c1 after its end; c2's results still counted")
                .containsEntry("campaign_treatment/c1", 3L)
                .containsEntry("campaign_converted/c2", 1L)
                .doesNotContainKeys("campaign_redeemed/c1", "campaign_opened/c1", "campaign_converted/c1");
        assertThat(rowsAtEnd).as("the rows written before the end stay").containsEntry("campaign_treatment/c1", 3L);
        h.processElement(profile(ProfileRow.newBuilder(bert).setDeleted(true).build()), NOW + 5);
        assertThat(net()).as("an erasure after the end still negates the person's rows of c1")
                .containsEntry("campaign_treatment/c1", 2L);
    }

    @Test
    void atMostMaxPerWeekOffersPerResidentAcrossTheCitysCampaigns() throws Exception {
        h.processElement(profile(anna()), NOW);
        h.processElement(contact(ANNA, "R-0815"), NOW);
        for (String id : List.of("c1", "c2", "c3")) h.processBroadcastElement(campaign(id, 0), NOW);
        assertThat(steps()).containsExactly("OFFER c1 R-0815", "OFFER c2 R-0815");
        h.processElement(profile(ProfileRow.newBuilder(anna()).setDistrict("Mitte").build()), NOW);
        assertThat(net()).as("the cap's effect as a row: the resident once, however often the offer is held")
                .containsEntry("campaign_held_weekly_cap/c3", 1L).doesNotContainKeys("campaign_held_weekly_cap/c1",
                        "campaign_held_weekly_cap/c2");
        assertThat(rows()).filteredOn(r -> r.getMeasure().equals("campaign_held_weekly_cap")).singleElement()
                .satisfies(r -> {
                    assertThat(r.getParticipant()).isEqualTo("baeckerei-schmidt");
                    assertThat(r.getEventTime()).as("the day only").isEqualTo(r.getDay() * 86_400_000L);
                    assertThat(r.toString()).doesNotContain(ANNA, "R-0815");
                });
        h.setProcessingTime(NOW + 8L * 24 * 3600 * 1000);
        Campaign later = campaign("c3", 0);
        later.getOffer().setValidUntil(NOW + 30L * 24 * 3600 * 1000);
        h.processBroadcastElement(later, NOW);
        assertThat(steps()).as("a week later the held offer goes out").containsExactly("OFFER c1 R-0815",
                "OFFER c2 R-0815", "OFFER c3 R-0815");
        assertThat(net()).containsEntry("campaign_held_weekly_cap/c3", 1L);
        h.processElement(profile(ProfileRow.newBuilder(anna()).setDeleted(true).build()), NOW);
        assertThat(net()).as("erasure negates the held row too").isEmpty();
    }

    @Test
    void openedRedeemedAndConvertedCountOnceAndErasureNegatesEverythingAndClearsAllState() throws Exception {
        h.processBroadcastElement(campaign("c1", 0), NOW);
        h.processBroadcastElement(campaign("c2", 1000), NOW);
        h.processElement(profile(anna()), NOW);
        h.processElement(contact(ANNA, "R-0815"), NOW);
        PersonSignal opened = PersonSignal.of(PersonSignal.Kind.OPENED, "musterstadt", ANNA);
        opened.campaignId = "c1";
        opened.eventTime = NOW + 10;
        h.processElement(opened, NOW);
        h.processElement(opened, NOW);
        PersonSignal buy = PersonSignal.of(PersonSignal.Kind.PURCHASE, "musterstadt", ANNA);
        buy.participant = "baeckerei-schmidt";
        buy.recordKind = "purchase";
        buy.campaignCode = "BROT10";
        buy.eventTime = NOW + 20;
        h.processElement(buy, NOW);
        h.processElement(buy, NOW);
        PersonSignal elsewhere = PersonSignal.of(PersonSignal.Kind.PURCHASE, "musterstadt", ANNA);
        elsewhere.participant = "weinhandlung-berg";
        elsewhere.recordKind = "purchase";
        elsewhere.eventTime = NOW + 30;
        h.processElement(elsewhere, NOW);
        assertThat(net()).containsExactlyInAnyOrderEntriesOf(Map.of("campaign_treatment/c1", 1L, "campaign_control/c2", 1L,
                "campaign_opened/c1", 1L, "campaign_redeemed/c1", 1L, "campaign_converted/c1", 1L,
                "campaign_redeemed/c2", 1L, "campaign_converted/c2", 1L));
        assertThat(rows()).allSatisfy(r -> {
            assertThat(r.getParticipant()).isEqualTo("baeckerei-schmidt");
            assertThat(r.getPersonas()).containsExactly("family", "regular_shopper");
            assertThat(r.toString()).doesNotContain(ANNA, "R-0815");
        });
        assertThat(stateEntries()).isPositive();

        h.processElement(profile(ProfileRow.newBuilder(anna()).setDeleted(true).build()), NOW + 40);
        assertThat(net()).as("every row negated").isEmpty();
        assertThat(steps()).containsExactly("OFFER c1 R-0815", "WITHDRAW c1 erased");
        assertThat(stateEntries()).as("state of the person cleared").isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();

        h.processElement(contact(ANNA, "R-0815"), NOW);
        h.processElement(profile(anna()), NOW);
        assertThat(steps()).as("a new registration starts afresh (in practice under the next generation's pseudonym)")
                .hasSize(3);
    }
}
