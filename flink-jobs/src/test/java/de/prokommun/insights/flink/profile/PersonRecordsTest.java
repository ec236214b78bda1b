package de.prokommun.insights.flink.profile;

import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.at;
import static de.prokommun.insights.flink.Fixtures.registration;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.prokommun.insights.events.AnonymousCardLinked;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.ConsentChanged;
import de.prokommun.insights.events.ContributionDelta;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.GiftVoucherRedeemed;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.events.ParticipantFollowed;
import de.prokommun.insights.events.Payment;
import de.prokommun.insights.events.PaymentKind;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.events.ProductGroupMapping;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseLine;
import de.prokommun.insights.events.PurchaseRetracted;
import de.prokommun.insights.flink.Fixtures;
import de.prokommun.insights.flink.ledger.Measures;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The person's own records (side output of the profile builder): what each event leaves, deletions on retraction,
 * withdrawal and erasure (state and timers gone), and the city's purchase retention (Musterstadt keeps purchases
 * 3 years: cities/musterstadt/city.json).
 */
class PersonRecordsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ANNA = "pseudonym-anna";
    private static final String BAKERY = "baeckerei-schmidt";
    private static final String BREAD = "lebensmittel.backwaren";
    private ProfileChain harness;

    @BeforeEach
    void open() throws Exception {
        harness = new ProfileChain(Fixtures.cities(), Duration.ofDays(30));
        harness.mapping(new ProductGroupMapping(Fixtures.CITY, BAKERY, "brot", BREAD, 1L));
        harness.send(anonymous(ANNA, "reg", at(2026, 3, 1), registration(1990, HouseholdType.SINGLE, true)));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static AnonymousEvent purchase(String eventId, long time, String receipt) {
        AnonymousEvent e = anonymous(ANNA, eventId, time, new Purchase(receipt,
                List.of(new PurchaseLine("brot", 2, 450L), new PurchaseLine("kaffee", 1, 899L)),
                List.of(new Payment(PaymentKind.GIFT_VOUCHER, 1000L), new Payment(PaymentKind.CARD, 349L))));
        e.setParticipant(BAKERY);
        return e;
    }

    /** Sum of every contribution row per measure and category: empty when everything cancelled out. */
    private Map<String, Long> netContributions() {
        Map<String, Long> net = new TreeMap<>();
        for (ContributionDelta d : harness.deltas()) {
            net.merge(d.getMeasure() + "/" + d.getCategory() + "/" + d.getMonth(), d.getCount() + d.getAmountCents(), Long::sum);
        }
        net.values().removeIf(v -> v == 0);
        return net;
    }

    /** The newest version of every record id, as Pinot's upsert keeps it. */
    private Map<String, PersonRecord> upserted() {
        Map<String, PersonRecord> latest = new HashMap<>();
        for (PersonRecord r : harness.records()) {
            latest.merge(r.getRecordId(), r, (a, b) -> b.getVersion() > a.getVersion() ? b : a);
        }
        return latest;
    }

    @Test
    void aPurchaseLeavesOneRecordWithLinesPaymentsAndMappedCategories() throws Exception {
        List<PersonRecord> out = harness.recordsOf(purchase("p1", at(2026, 3, 2), "R-1"));
        assertThat(out).hasSize(1);
        PersonRecord r = out.get(0);
        assertThat(r.getPseudonym()).isEqualTo(ANNA);
        assertThat(r.getRecordId()).isEqualTo("purchase:" + BAKERY + ":R-1");
        assertThat(r.getKind()).isEqualTo("purchase");
        assertThat(r.getReceipt()).isEqualTo("R-1");
        assertThat(r.getAmountCents()).isEqualTo(1349L);
        assertThat(r.getQuantity()).isEqualTo(3L);
        assertThat(r.getCategories()).containsExactly(BREAD, Measures.UNMAPPED);
        assertThat(r.getDeleted()).isFalse();
        JsonNode details = JSON.readTree(r.getDetails());
        assertThat(details.get("lines")).hasSize(2);
        assertThat(details.get("lines").get(0).get("productGroup").asText()).isEqualTo("brot");
        assertThat(details.get("lines").get(0).get("category").asText()).isEqualTo(BREAD);
        assertThat(details.get("payments").get(0).get("kind").asText()).isEqualTo("GIFT_VOUCHER");
        assertThat(r.getDetails()).doesNotContain(ANNA);
        // the stored text is read by the resident API and the export: its exact form must not drift
        assertThat(r.getDetails()).isEqualTo("{\"lines\":["
                + "{\"productGroup\":\"brot\",\"quantity\":2,\"amountCents\":450,\"category\":\"" + BREAD + "\"},"
                + "{\"productGroup\":\"kaffee\",\"quantity\":1,\"amountCents\":899,\"category\":\"" + Measures.UNMAPPED + "\"}],"
                + "\"payments\":[{\"kind\":\"GIFT_VOUCHER\",\"amountCents\":1000},{\"kind\":\"CARD\",\"amountCents\":349}]}");
    }

    @Test
    void otherInteractionsLeaveEventRecordsWithoutAnyPseudonymInTheDetails() throws Exception {
        AnonymousEvent voucher = anonymous(ANNA, "v1", at(2026, 3, 3), new GiftVoucherRedeemed("V-9", 2500L, "R-7"));
        voucher.setParticipant(BAKERY);
        PersonRecord v = harness.recordsOf(voucher).get(0);
        assertThat(v.getRecordId()).isEqualTo("event:" + BAKERY + ":v1");
        assertThat(v.getKind()).isEqualTo("gift_voucher.redeemed");
        assertThat(v.getAmountCents()).isEqualTo(2500L);
        assertThat(JSON.readTree(v.getDetails()).get("voucher").asText()).isEqualTo("V-9");
        assertThat(v.getDetails()).isEqualTo("{\"voucher\":\"V-9\",\"amountCents\":2500,\"receipt\":\"R-7\"}");

        PersonRecord f = harness.recordsOf(anonymous(ANNA, "f1", at(2026, 3, 3), new ParticipantFollowed(BAKERY))).get(0);
        assertThat(f.getKind()).isEqualTo("participant.followed");
        assertThat(JSON.readTree(f.getDetails()).get("followed").asText()).isEqualTo(BAKERY);

        PersonRecord c = harness.recordsOf(anonymous(ANNA, "c1", at(2026, 3, 3),
                new AnonymousCardLinked("card-pseudonym-of-anna", "old-card-pseudonym"))).get(0);
        assertThat(c.getKind()).isEqualTo("card.linked");
        assertThat(c.getDetails()).doesNotContain("pseudonym").contains("replacesCard");

        // Profile and consent changes live in the profile row, not in records.
        assertThat(harness.recordsOf(anonymous(ANNA, "k1", at(2026, 3, 3), new ConsentChanged(true, false, true)))).isEmpty();
    }

    /** Issue 18: a redemption of a campaign's offer shows the offer's code in the resident's own record. */
    @Test
    void aPurchaseOrVoucherRedemptionCarryingACampaignCodeShowsItInTheDetails() throws Exception {
        AnonymousEvent redeemed = purchase("p1", at(2026, 3, 2), "R-1");
        redeemed.setCampaignCode("FRUEHLING10");
        PersonRecord r = harness.recordsOf(redeemed).get(0);
        assertThat(r.getDetails()).endsWith(",\"campaignCode\":\"FRUEHLING10\"}");
        assertThat(JSON.readTree(r.getDetails()).get("payments")).hasSize(2);

        AnonymousEvent voucher = anonymous(ANNA, "v1", at(2026, 3, 3), new GiftVoucherRedeemed("V-9", 2500L, "R-7"));
        voucher.setParticipant(BAKERY);
        voucher.setCampaignCode("FRUEHLING10");
        assertThat(harness.recordsOf(voucher).get(0).getDetails())
                .isEqualTo("{\"voucher\":\"V-9\",\"amountCents\":2500,\"receipt\":\"R-7\",\"campaignCode\":\"FRUEHLING10\"}");

        AnonymousEvent follow = anonymous(ANNA, "f1", at(2026, 3, 3), new ParticipantFollowed(BAKERY));
        follow.setCampaignCode("FRUEHLING10");
        assertThat(harness.recordsOf(follow).get(0).getDetails()).as("only a purchase or redemption redeems an offer")
                .doesNotContain("campaignCode");
    }

    @Test
    void aRetractionDeletesThePurchaseRecordWithAHigherVersion() throws Exception {
        PersonRecord live = harness.recordsOf(purchase("p1", at(2026, 3, 2), "R-1")).get(0);
        AnonymousEvent retraction = anonymous(ANNA, "x1", at(2026, 3, 4), new PurchaseRetracted("R-1"));
        List<PersonRecord> out = harness.recordsOf(retraction);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getRecordId()).isEqualTo(live.getRecordId());
        assertThat(out.get(0).getDeleted()).isTrue();
        assertThat(out.get(0).getVersion()).isGreaterThan(live.getVersion());
        // A second retraction of the same receipt finds nothing to delete.
        assertThat(harness.recordsOf(anonymous(ANNA, "x2", at(2026, 3, 5), new PurchaseRetracted("R-1")))).isEmpty();
    }

    @Test
    void anotherShopsReceiptWithTheSameNumberIsAnotherRecordAndItsRetractionDeletesOnlyItsOwn() throws Exception {
        PersonRecord bakery = harness.recordsOf(purchase("p1", at(2026, 3, 2), "R-1")).get(0);
        AnonymousEvent wine = purchase("p2", at(2026, 3, 3), "R-1");
        wine.setParticipant("weinhandlung-berg");
        List<PersonRecord> second = harness.recordsOf(wine);
        assertThat(second).as("issue 15: the bakery's record is not replaced or deleted").singleElement()
                .satisfies(r -> assertThat(r.getDeleted()).isFalse());
        assertThat(upserted().values()).filteredOn(r -> !r.getDeleted()).hasSize(2);

        AnonymousEvent retraction = anonymous(ANNA, "x1", at(2026, 3, 4), new PurchaseRetracted("R-1"));
        retraction.setParticipant("weinhandlung-berg");
        assertThat(harness.recordsOf(retraction)).singleElement().satisfies(r -> {
            assertThat(r.getRecordId()).isEqualTo(second.get(0).getRecordId());
            assertThat(r.getDeleted()).isTrue();
        });
        assertThat(upserted().values()).filteredOn(r -> !r.getDeleted()).extracting(PersonRecord::getRecordId)
                .containsExactly(bakery.getRecordId());
    }

    @Test
    void aCorrectedReceiptReplacesTheRecordUnderTheSameId() throws Exception {
        PersonRecord first = harness.recordsOf(purchase("p1", at(2026, 3, 2), "R-1")).get(0);
        List<PersonRecord> corrected = harness.recordsOf(purchase("p1-corrected", at(2026, 3, 2), "R-1"));
        assertThat(corrected).hasSize(1);
        assertThat(corrected.get(0).getRecordId()).isEqualTo(first.getRecordId());
        assertThat(corrected.get(0).getVersion()).isGreaterThan(first.getVersion());
        assertThat(upserted().values()).filteredOn(r -> !r.getDeleted()).hasSize(1);
    }

    @Test
    void erasureDeletesEveryRecordAndLeavesNoStateOrTimer() throws Exception {
        harness.send(purchase("p1", at(2026, 3, 2), "R-1"));
        harness.send(purchase("p2", at(2026, 3, 3), "R-2"));
        harness.send(anonymous(ANNA, "f1", at(2026, 3, 3), new ParticipantFollowed(BAKERY)));
        harness.send(anonymous(ANNA, "x1", at(2026, 3, 4), new PurchaseRetracted("R-2")));
        assertThat(harness.numEventTimeTimers()).isGreaterThan(0); // retention (and re-evaluation) timers
        assertThat(upserted().values()).filteredOn(r -> !r.getDeleted()).hasSize(2);

        List<PersonRecord> out = harness.recordsOf(anonymous(ANNA, "erase", at(2026, 3, 5), new ErasureRequested("test")));

        assertThat(out).extracting(PersonRecord::getRecordId)
                .containsExactlyInAnyOrder("purchase:" + BAKERY + ":R-1", "event:portal:f1");
        assertThat(out).allMatch(PersonRecord::getDeleted);
        assertThat(upserted().values()).noneMatch(r -> !r.getDeleted());
        assertThat(netContributions()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numAllKeyedStateEntries()).as("only the last versions remain").isEqualTo(1);
        assertThat(harness.erasedVersionsOf(ANNA).recordVersion)
                .isEqualTo(out.stream().mapToLong(PersonRecord::getVersion).max().orElseThrow());
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aDeletionRowKeepsTheDayOfTheRecordNotItsTime() throws Exception {
        long bought = at(2026, 3, 2) + Duration.ofMinutes(17 * 60 + 23).toMillis() + 456; // 2026-03-03 05:23:00.456 Berlin
        long day = java.time.LocalDate.of(2026, 3, 3).atStartOfDay(Fixtures.BERLIN).toInstant().toEpochMilli();
        PersonRecord kept = harness.recordsOf(purchase("p1", bought, "R-1")).get(0);
        PersonRecord retracted = harness.recordsOf(purchase("p2", bought, "R-2")).get(0);
        AnonymousEvent retraction = anonymous(ANNA, "x2", at(2026, 3, 4), new PurchaseRetracted("R-2"));
        retraction.setParticipant(BAKERY);
        List<PersonRecord> byRetraction = harness.recordsOf(retraction);
        List<PersonRecord> byErasure = harness.recordsOf(anonymous(ANNA, "erase", at(2026, 3, 5), new ErasureRequested("test")));

        assertThat(kept.getEventTime()).as("a live record keeps its time").isEqualTo(bought);
        assertThat(byRetraction).singleElement().satisfies(r -> {
            assertThat(r.getRecordId()).isEqualTo(retracted.getRecordId());
            assertThat(r.getEventTime()).as("00:00 of the purchase's day in Berlin").isEqualTo(day);
            assertThat(r.getVersion()).isGreaterThan(retracted.getVersion());
        });
        assertThat(byErasure).singleElement().satisfies(r -> {
            assertThat(r.getRecordId()).isEqualTo(kept.getRecordId());
            assertThat(r.getDeleted()).isTrue();
            assertThat(r.getEventTime()).isEqualTo(day);
            assertThat(r.getVersion()).as("the version still orders the key").isGreaterThan(kept.getVersion());
        });
    }

    @Test
    void withdrawingConsentDeletesEveryRecordToo() throws Exception {
        harness.send(purchase("p1", at(2026, 3, 2), "R-1"));
        List<PersonRecord> out = harness.recordsOf(anonymous(ANNA, "k", at(2026, 3, 5), new ConsentChanged(false, null, null)));
        assertThat(out).singleElement().satisfies(r -> assertThat(r.getDeleted()).isTrue());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aRegistrationAfterErasureOutranksTheDeletedRecordsOfTheSameId() throws Exception {
        harness.send(purchase("p1", at(2026, 3, 2), "R-1"));
        harness.send(anonymous(ANNA, "erase", at(2026, 3, 5), new ErasureRequested("test")));
        AnonymousEvent again = anonymous(ANNA, "reg2", at(2026, 3, 6), registration(1990, HouseholdType.SINGLE, true));
        again.setReceivedTime(at(2026, 3, 6));
        harness.send(again);
        AnonymousEvent sameReceipt = purchase("p1-again", at(2026, 3, 2), "R-1"); // an old receipt sent again
        sameReceipt.setReceivedTime(at(2026, 3, 6));
        harness.send(sameReceipt);
        assertThat(upserted().get("purchase:" + BAKERY + ":R-1").getDeleted()).isFalse();
    }

    @Test
    void aProfileAfterErasureOutranksTheDeletionRowsWhateverItsClock() throws Exception {
        harness.send(purchase("p1", at(2026, 3, 2), "R-1"));
        AnonymousEvent erasure = anonymous(ANNA, "erase", at(2026, 3, 5), new ErasureRequested("test"));
        erasure.setReceivedTime(at(2026, 3, 6)); // received a day late: its stamp is the later time
        List<PersonRecord> deletions = harness.recordsOf(erasure);
        long deletedVersion = deletions.get(0).getVersion();

        // the same pseudonym registers again (consent given again) with events stamped before the erasure's receipt
        harness.send(anonymous(ANNA, "reg2", at(2026, 3, 5) + 1, registration(1990, HouseholdType.SINGLE, true)));
        AnonymousEvent sameReceipt = purchase("p1-again", at(2026, 3, 5) + 2, "R-1");
        List<PersonRecord> again = harness.recordsOf(sameReceipt);

        assertThat(again).singleElement().satisfies(r -> {
            assertThat(r.getDeleted()).isFalse();
            assertThat(r.getVersion()).as("outranks the deletion row of the same id").isGreaterThan(deletedVersion);
        });
        assertThat(upserted().get("purchase:" + BAKERY + ":R-1").getDeleted()).isFalse();
        assertThat(harness.erasedVersionsOf(ANNA)).as("a live profile carries the versions itself").isNull();
    }

    // ---- retention ----------------------------------------------------------------------------------------------

    @Test
    void aPurchaseIsRetractedWhenItsRetentionEndsLikeARetraction() throws Exception {
        harness.send(purchase("p1", at(2026, 3, 2), "R-1"));
        harness.send(purchase("p2", at(2027, 6, 1), "R-2"));
        assertThat(harness.last().getPurchaseTags()).contains("category:" + BREAD + ":2026", "category:" + BREAD + ":2027");

        harness.watermark(at(2029, 3, 1)); // not yet three years
        assertThat(upserted().get("purchase:" + BAKERY + ":R-1").getDeleted()).isFalse();

        harness.watermark(at(2029, 3, 2)); // 2026-03-02 12:00 + 3 years
        assertThat(upserted().get("purchase:" + BAKERY + ":R-1").getDeleted()).isTrue();
        assertThat(upserted().get("purchase:" + BAKERY + ":R-2").getDeleted()).isFalse();
        assertThat(harness.last().getPurchaseTags()).doesNotContain("category:" + BREAD + ":2026")
                .contains("category:" + BREAD + ":2027");
        // Every 2026 contribution of the purchase cancelled (registration and its activity day remain).
        assertThat(netContributions().keySet()).filteredOn(k -> k.contains("/2026"))
                .allMatch(k -> k.startsWith("registration/") || k.startsWith("active_resident/"));
        assertThat(netContributions().keySet()).anyMatch(k -> k.startsWith("purchase/" + BREAD + "/202706"));
        assertThat(harness.last().getLastPurchaseDay()).isEqualTo((int) java.time.LocalDate.of(2027, 6, 1).toEpochDay());

        harness.watermark(at(2030, 6, 1));
        assertThat(upserted().get("purchase:" + BAKERY + ":R-2").getDeleted()).isTrue();
        assertThat(harness.last().getLastPurchaseDay()).isNull();
        assertThat(harness.last().getPurchaseTags()).noneMatch(t -> t.startsWith("category:") || t.startsWith("customer:"));
    }

    @Test
    void aPurchaseOlderThanTheRetentionIsNotRecordedAtAll() throws Exception {
        harness.send(purchase("p-new", at(2026, 3, 2), "R-NEW"));
        harness.watermark(at(2026, 3, 2));
        int deltasBefore = harness.deltas().size();
        List<PersonRecord> out = harness.recordsOf(purchase("p-old", at(2022, 1, 10), "R-OLD"));
        assertThat(out).isEmpty();
        assertThat(harness.deltas()).hasSize(deltasBefore);
        // A purchase just inside the retention is recorded.
        assertThat(harness.recordsOf(purchase("p-recent", at(2023, 6, 1), "R-RECENT"))).hasSize(1);
    }

    @Test
    void erasureClearsTheRetentionTimer() throws Exception {
        harness.send(purchase("p1", at(2026, 3, 2), "R-1"));
        int withRetention = harness.numEventTimeTimers();
        assertThat(withRetention).isGreaterThan(0);
        harness.send(anonymous(ANNA, "erase", at(2026, 3, 5), new ErasureRequested("test")));
        assertThat(harness.numEventTimeTimers()).isZero();
        int before = harness.records().size();
        harness.watermark(at(2030, 1, 1)); // nothing left to expire
        assertThat(harness.records()).hasSize(before);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
