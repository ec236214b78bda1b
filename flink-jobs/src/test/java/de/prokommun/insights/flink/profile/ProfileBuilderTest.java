package de.prokommun.insights.flink.profile;

import static de.prokommun.insights.flink.Fixtures.anonymous;
import static de.prokommun.insights.flink.Fixtures.at;
import static de.prokommun.insights.flink.Fixtures.registration;
import static de.prokommun.insights.flink.Fixtures.startOfYear;
import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.AnonymousProfileChange;
import de.prokommun.insights.events.ConsentChanged;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.EventCheckedIn;
import de.prokommun.insights.events.GiftVoucherRedeemed;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.events.NewsletterSubscribed;
import de.prokommun.insights.events.NewsletterUnsubscribed;
import de.prokommun.insights.events.OffersObjected;
import de.prokommun.insights.events.ParticipantFollowed;
import de.prokommun.insights.events.ParticipantUnfollowed;
import de.prokommun.insights.events.ProfileRow;
import de.prokommun.insights.events.PurchaseRetracted;
import de.prokommun.insights.flink.Fixtures;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProfileBuilderTest {

    private static final String ANNA = "pseudonym-anna";
    private ProfileChain harness;

    @BeforeEach
    void open() throws Exception {
        harness = new ProfileChain(Fixtures.cities(), Duration.ofDays(30));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private List<ProfileRow> send(AnonymousEvent e) throws Exception {
        return harness.send(e);
    }

    private ProfileRow last() {
        return harness.last();
    }

    @Test
    void registrationWithConsentEmitsTheAnonymousProfile() throws Exception {
        long t = at(2026, 3, 10);
        List<ProfileRow> rows = send(anonymous(ANNA, "e1", t, registration(2003, HouseholdType.SINGLE, true, "uni", "sport")));

        assertThat(rows).hasSize(1);
        ProfileRow row = rows.get(0);
        assertThat(row.getPseudonym()).isEqualTo(ANNA);
        assertThat(row.getBirthYear()).isEqualTo(2003);
        assertThat(row.getAge()).isEqualTo(23);
        assertThat(row.getAgeBand()).isEqualTo("18-24");
        assertThat(row.getDistrict()).isEqualTo("Saarn");
        assertThat(row.getHouseholdType()).isEqualTo("SINGLE");
        assertThat(row.getPersonas()).containsExactly("young_adult", "student", "single");
        assertThat(row.getInterests()).containsExactly("uni", "sport");
        assertThat(row.getConsentOffers()).isTrue();
        assertThat(row.getRegisteredDay()).isEqualTo((int) LocalDate.of(2026, 3, 10).toEpochDay());
        assertThat(row.getLastActivityDay()).isEqualTo(row.getRegisteredDay());
        assertThat(row.getDeleted()).isFalse();
        assertThat(row.getUpdatedAt()).isEqualTo(t);
        assertThat(row.getVersion()).isPositive();
        assertThat(harness.numEventTimeTimers()).as("next age boundary (30 → 2033)").isEqualTo(1);
    }

    @Test
    void withoutAnalyticsConsentNobodyIsProfiled() throws Exception {
        assertThat(send(anonymous(ANNA, "e1", at(2026, 3, 10), registration(1990, HouseholdType.COUPLE, false)))).isEmpty();
        assertThat(send(anonymous(ANNA, "e2", at(2026, 3, 11), new GiftVoucherRedeemed("V1", 1000L, null)))).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).as("the voucher waits for a registration").isEqualTo(1);
        harness.processingTime(Duration.ofSeconds(30).toMillis());
        assertThat(harness.rows()).isEmpty();
        assertThat(harness.deltas()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aDuplicateEventIsCountedOnce() throws Exception {
        send(anonymous(ANNA, "e1", at(2026, 3, 10), registration(1990, HouseholdType.COUPLE, true)));
        send(anonymous(ANNA, "v1", at(2026, 3, 11), new GiftVoucherRedeemed("V1", 1000L, null)));
        List<ProfileRow> dup = send(anonymous(ANNA, "v1", at(2026, 3, 11), new GiftVoucherRedeemed("V1", 1000L, null)));
        assertThat(dup).isEmpty();
        assertThat(last().getPersonas()).doesNotContain("voucher_user");

        send(anonymous(ANNA, "v2", at(2026, 3, 11), new GiftVoucherRedeemed("V2", 1000L, null)));
        assertThat(last().getPersonas()).contains("voucher_user");
    }

    @Test
    void profileChangeUpdatesDistrictAndHousehold() throws Exception {
        send(anonymous(ANNA, "e1", at(2026, 3, 10), registration(1985, HouseholdType.COUPLE, true)));
        List<ProfileRow> rows = send(anonymous(ANNA, "e2", at(2026, 3, 12), AnonymousProfileChange.newBuilder()
                .setDistrict("Broich").setHouseholdType(HouseholdType.FAMILY).build()));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getDistrict()).isEqualTo("Broich");
        assertThat(rows.get(0).getPersonas()).contains("family").doesNotContain("couple");
        assertThat(rows.get(0).getVersion()).isGreaterThan(harness.rows().get(0).getVersion());
    }

    @Test
    void withdrawingAnalyticsConsentDeletesTheRowAndClearsAllState() throws Exception {
        send(anonymous(ANNA, "e1", at(2026, 3, 10), registration(1960, HouseholdType.SINGLE, true)));
        send(anonymous(ANNA, "e2", at(2026, 3, 11), new EventCheckedIn("konzert-1", "club")));
        assertThat(harness.numKeyedStateEntries()).isPositive();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        List<ProfileRow> rows = send(anonymous(ANNA, "e3", at(2026, 3, 12), ConsentChanged.newBuilder().setAnalytics(false).build()));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getDeleted()).isTrue();
        assertThat(rows.get(0).getBirthYear()).isNull();
        assertThat(rows.get(0).getDistrict()).isNull();
        assertThat(rows.get(0).getPersonas()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();

        assertThat(send(anonymous(ANNA, "e4", at(2026, 3, 13), new EventCheckedIn("k2", "club")))).isEmpty();
        harness.processingTime(Duration.ofSeconds(30).toMillis());
        assertThat(harness.rows()).hasSize(3);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void erasureDeletesTheRowClearsEverythingAndReRegistrationStartsEmpty() throws Exception {
        send(anonymous(ANNA, "e1", at(2026, 3, 10), registration(1990, HouseholdType.SINGLE, true)));
        send(anonymous(ANNA, "v1", at(2026, 3, 11), new GiftVoucherRedeemed("V1", 1000L, null)));
        send(anonymous(ANNA, "v2", at(2026, 3, 12), new GiftVoucherRedeemed("V2", 1000L, null)));
        assertThat(last().getPersonas()).contains("voucher_user");

        List<ProfileRow> rows = send(anonymous(ANNA, "x1", at(2026, 3, 13), new ErasureRequested(null)));
        ProfileRow deleted = rows.get(0);
        assertThat(deleted.getDeleted()).isTrue();
        assertThat(deleted.getVersion()).isGreaterThan(harness.rows().get(2).getVersion());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numAllKeyedStateEntries()).as("nothing but the last versions").isEqualTo(1);
        assertThat(harness.erasedVersionsOf(ANNA)).usingRecursiveComparison()
                .isEqualTo(new ErasedVersions(deleted.getVersion(), harness.erasedVersionsOf(ANNA).recordVersion));
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();

        // same event ids again after re-registration: the dedupe memory was erased too, so they count
        send(anonymous(ANNA, "e1", at(2026, 3, 14), registration(1990, HouseholdType.SINGLE, true)));
        ProfileRow fresh = last();
        assertThat(fresh.getDeleted()).isFalse();
        assertThat(fresh.getPersonas()).doesNotContain("voucher_user");
        assertThat(fresh.getRegisteredDay()).isEqualTo((int) LocalDate.of(2026, 3, 14).toEpochDay());
        assertThat(fresh.getVersion()).isGreaterThan(deleted.getVersion());
        send(anonymous(ANNA, "v1", at(2026, 3, 15), new GiftVoucherRedeemed("V1", 1000L, null)));
        assertThat(harness.rows()).hasSize(6);
    }

    @Test
    void aProfileAfterWithdrawalOutranksItsDeletionRowEvenIfItsClockIsBehind() throws Exception {
        send(anonymous(ANNA, "e1", at(2026, 3, 10), registration(1990, HouseholdType.SINGLE, true)));
        ProfileRow deleted = send(anonymous(ANNA, "w", at(2026, 3, 13),
                ConsentChanged.newBuilder().setAnalytics(false).build())).get(0);
        assertThat(deleted.getDeleted()).isTrue();
        assertThat(harness.numEventTimeTimers()).isZero();

        // consent given again from a device whose clock is a day behind the portal's
        ProfileRow again = send(anonymous(ANNA, "e2", at(2026, 3, 12), registration(1990, HouseholdType.COUPLE, true))).get(0);
        assertThat(again.getDeleted()).isFalse();
        assertThat(again.getVersion()).as("Pinot serves it and Kafka's compaction keeps it, not the deletion row")
                .isGreaterThan(deleted.getVersion());
        assertThat(again.getHouseholdType()).isEqualTo("COUPLE");
        assertThat(harness.erasedVersionsOf(ANNA)).isNull();
    }

    @Test
    void followsAndNewsletterSubscriptionsAreTagsUntilUndoneOrErased() throws Exception {
        send(anonymous(ANNA, "e1", at(2026, 3, 10), registration(1990, HouseholdType.SINGLE, true)));
        send(anonymous(ANNA, "f1", at(2026, 3, 11), new ParticipantFollowed("turnverein")));
        send(anonymous(ANNA, "f2", at(2026, 3, 11), new ParticipantFollowed("baeckerei-schmidt")));
        send(anonymous(ANNA, "n1", at(2026, 3, 12), new NewsletterSubscribed("stadtnews")));
        assertThat(last().getPurchaseTags()).as("sorted, beside any purchase tags")
                .containsExactly("follows:baeckerei-schmidt", "follows:turnverein", "newsletter:stadtnews");

        send(anonymous(ANNA, "u1", at(2026, 3, 13), new ParticipantUnfollowed("turnverein")));
        assertThat(last().getPurchaseTags()).containsExactly("follows:baeckerei-schmidt", "newsletter:stadtnews");
        send(anonymous(ANNA, "n2", at(2026, 3, 14), new NewsletterUnsubscribed("stadtnews")));
        assertThat(last().getPurchaseTags()).containsExactly("follows:baeckerei-schmidt");
        int rows = harness.rows().size();
        assertThat(send(anonymous(ANNA, "u2", at(2026, 3, 14), new ParticipantUnfollowed("gibt-es-nicht"))))
                .as("unfollowing what one does not follow changes nothing").isEmpty();
        assertThat(harness.rows()).hasSize(rows);

        send(anonymous(ANNA, "n3", at(2026, 3, 15), new NewsletterSubscribed("vereinsnews")));
        List<ProfileRow> erased = send(anonymous(ANNA, "x1", at(2026, 3, 16), new ErasureRequested(null)));
        assertThat(erased).singleElement().satisfies(r -> {
            assertThat(r.getDeleted()).isTrue();
            assertThat(r.getPurchaseTags()).isEmpty();
        });
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();

        send(anonymous(ANNA, "e2", at(2026, 3, 17), registration(1990, HouseholdType.SINGLE, true)));
        assertThat(last().getPurchaseTags()).as("nothing survives the erasure").isEmpty();
        send(anonymous(ANNA, "w", at(2026, 3, 18), new ParticipantFollowed("turnverein")));
        send(anonymous(ANNA, "w2", at(2026, 3, 18), ConsentChanged.newBuilder().setAnalytics(false).build()));
        assertThat(last().getDeleted()).isTrue();
        assertThat(last().getPurchaseTags()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).as("withdrawal clears them too").isZero();
    }

    /** Issue 18: the standing objections to offers, sorted, in the row; withdrawn ones leave; erasure ends them. */
    @Test
    void offerObjectionsStandUntilWithdrawnAndDoNotSurviveErasure() throws Exception {
        send(anonymous(ANNA, "e1", at(2026, 3, 10), registration(1990, HouseholdType.SINGLE, true)));
        assertThat(last().getOfferObjections()).isEmpty();
        send(anonymous(ANNA, "o1", at(2026, 3, 11), new OffersObjected("participant:weinhandlung-berg", false)));
        send(anonymous(ANNA, "o2", at(2026, 3, 11), new OffersObjected("category:lebensmittel", false)));
        assertThat(last().getOfferObjections()).as("sorted")
                .containsExactly("category:lebensmittel", "participant:weinhandlung-berg");
        int rows = harness.rows().size();
        assertThat(send(anonymous(ANNA, "o3", at(2026, 3, 11), new OffersObjected("category:lebensmittel", false))))
                .as("the same objection again changes nothing").isEmpty();
        assertThat(harness.rows()).hasSize(rows);

        send(anonymous(ANNA, "o4", at(2026, 3, 12), new OffersObjected("participant:weinhandlung-berg", true)));
        assertThat(last().getOfferObjections()).containsExactly("category:lebensmittel");
        send(anonymous(ANNA, "o5", at(2026, 3, 13), new OffersObjected("all", false)));
        assertThat(last().getOfferObjections()).containsExactly("all", "category:lebensmittel");

        ProfileRow erased = send(anonymous(ANNA, "x1", at(2026, 3, 14), new ErasureRequested(null))).get(0);
        assertThat(erased.getOfferObjections()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        send(anonymous(ANNA, "e2", at(2026, 3, 15), registration(1990, HouseholdType.SINGLE, true)));
        assertThat(last().getOfferObjections()).as("nothing survives the erasure").isEmpty();
    }

    @Test
    void theWatermarkRollsTheAgeBandOverOnFirstJanuary() throws Exception {
        send(anonymous(ANNA, "e1", at(2025, 6, 1), registration(2008, HouseholdType.FAMILY, true)));
        assertThat(last().getAge()).isEqualTo(17);
        assertThat(last().getAgeBand()).isEqualTo("14-17");
        assertThat(last().getPersonas()).containsExactlyInAnyOrder("family", "teenager");

        harness.watermark(startOfYear(2026) - 1);
        assertThat(harness.rows()).hasSize(1);

        harness.watermark(startOfYear(2026));
        ProfileRow rolled = last();
        assertThat(harness.rows()).hasSize(2);
        assertThat(rolled.getAge()).isEqualTo(18);
        assertThat(rolled.getAgeBand()).isEqualTo("18-24");
        assertThat(rolled.getPersonas()).containsExactlyInAnyOrder("young_adult", "family");
        assertThat(rolled.getUpdatedAt()).isEqualTo(startOfYear(2026));
        assertThat(harness.numEventTimeTimers()).as("next boundary: 25 in 2033").isEqualTo(1);
    }

    @Test
    void historicalEventsBehindTheWatermarkAreStillProcessed() throws Exception {
        send(anonymous(ANNA, "e1", at(2026, 3, 10), registration(1970, HouseholdType.COUPLE, true)));
        harness.watermark(at(2026, 3, 11));
        List<ProfileRow> rows = send(anonymous(ANNA, "old", at(2023, 5, 1), new PurchaseRetracted("R-1")));
        assertThat(rows).isEmpty(); // nothing in the profile changes: lastActivityDay keeps the newest day
        send(anonymous(ANNA, "p1", at(2026, 3, 11), new GiftVoucherRedeemed("V1", 100L, null)));
        send(anonymous(ANNA, "p0", at(2026, 2, 1), new GiftVoucherRedeemed("V0", 100L, null)));
        assertThat(last().getPersonas()).contains("voucher_user");
        assertThat(last().getAge()).isEqualTo(56);
    }

    @Test
    void behaviouralPersonasExpireWhenTheirActivityLeavesTheWindow() throws Exception {
        send(anonymous(ANNA, "e1", at(2026, 1, 10), registration(1970, HouseholdType.COUPLE, true)));
        send(anonymous(ANNA, "v1", at(2026, 1, 11), new GiftVoucherRedeemed("V1", 100L, null)));
        send(anonymous(ANNA, "v2", at(2026, 1, 12), new GiftVoucherRedeemed("V2", 100L, null)));
        assertThat(last().getPersonas()).contains("voucher_user");

        harness.watermark(at(2026, 7, 20));
        assertThat(last().getPersonas()).doesNotContain("voucher_user").contains("couple", "best_ager");
    }
}
