package de.prokommun.insights.ingestion.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.events.PurchaseRetracted;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounded memory behind 409: conflicts, idempotent re-sends, its horizon and a withdrawn claim. */
class RecentEventIdsTest {

    private static InteractionEvent event(String participant, String id, String receipt, long receivedTime) {
        return event("musterstadt", participant, id, receipt, receivedTime);
    }

    private static InteractionEvent event(String city, String participant, String id, String receipt, long receivedTime) {
        return InteractionEvent.newBuilder().setEventId(id).setCity(city).setParticipant(participant)
                .setEventTime(1_764_000_000_000L).setReceivedTime(receivedTime).setResident("R-1")
                .setPayload(PurchaseRetracted.newBuilder().setReceipt(receipt).build()).build();
    }

    @Test
    void theSameParticipantIdInAnotherCityIsAnotherSender() {
        RecentEventIds ids = new RecentEventIds(10);
        assertThat(ids.claim(List.of(event("musterstadt", "portal", "reg-R-1", "B-1", 1))).ok()).isTrue();
        assertThat(ids.claim(List.of(event("jena", "portal", "reg-R-1", "B-2", 1))).ok())
                .as("Jena's portal is not Musterstadt's: its event id is its own").isTrue();
        assertThat(ids.claim(List.of(event("jena", "portal", "reg-R-1", "B-3", 1))).ok())
                .as("within Jena the id still conflicts").isFalse();
    }

    @Test
    void anIdenticalReSendIsNoConflictEvenWithAnotherReceivingTime() {
        RecentEventIds ids = new RecentEventIds(10);
        assertThat(ids.claim(List.of(event("shop", "e1", "B-1", 1))).ok()).isTrue();
        assertThat(ids.claim(List.of(event("shop", "e1", "B-1", 2))).ok()).isTrue();
        assertThat(ids.size()).isEqualTo(1);
    }

    @Test
    void theHashLeavesTheEventAsItWasForPublishing() {
        InteractionEvent received = event("shop", "e1", "B-1", 1_764_000_123_456L);
        InteractionEvent before = InteractionEvent.newBuilder(received).build();
        long hash = RecentEventIds.bodyHash(received);
        assertThat(received).isEqualTo(before);
        assertThat(received.getReceivedTime()).isEqualTo(1_764_000_123_456L);
        assertThat(RecentEventIds.bodyHash(event("shop", "e1", "B-1", 7L))).isEqualTo(hash);
        assertThat(RecentEventIds.bodyHash(event("shop", "e1", "B-2", 1_764_000_123_456L))).isNotEqualTo(hash);
    }

    @Test
    void aDifferentBodyConflictsWithinTheRequestAndAcrossRequestsNamingTheId() {
        RecentEventIds ids = new RecentEventIds(10);
        RecentEventIds.Claim inRequest = ids.claim(List.of(event("shop", "e1", "B-1", 1), event("shop", "e1", "B-2", 1)));
        assertThat(inRequest.conflicts()).singleElement().satisfies(c -> {
            assertThat(c.index()).isEqualTo(1);
            assertThat(c.reason()).contains("'e1'").contains("event 0");
        });
        assertThat(ids.size()).as("a refused request is not remembered").isZero();
        assertThat(ids.claim(List.of(event("shop", "e1", "B-1", 1))).ok()).isTrue();
        RecentEventIds.Claim later = ids.claim(List.of(event("shop", "e2", "B-9", 1), event("shop", "e1", "B-2", 1)));
        assertThat(later.conflicts()).extracting(RecentEventIds.Conflict::index).containsExactly(1);
        assertThat(ids.size()).as("nothing of the conflicting request is remembered").isEqualTo(1);
        assertThat(ids.claim(List.of(event("portal", "e1", "B-2", 1))).ok()).as("ids are per participant").isTrue();
    }

    @Test
    void theOldestIdsAreForgottenBeyondTheCapacity() {
        RecentEventIds ids = new RecentEventIds(3);
        for (int i = 0; i < 5; i++) assertThat(ids.claim(List.of(event("shop", "e" + i, "B-1", 1))).ok()).isTrue();
        assertThat(ids.size()).isEqualTo(3);
        assertThat(ids.claim(List.of(event("shop", "e0", "B-other", 1))).ok()).as("e0 is beyond the horizon").isTrue();
        assertThat(ids.claim(List.of(event("shop", "e4", "B-other", 1))).ok()).as("e4 is remembered").isFalse();
    }

    @Test
    void aWithdrawnClaimForgetsOnlyWhatItAdded() {
        RecentEventIds ids = new RecentEventIds(10);
        ids.claim(List.of(event("shop", "e1", "B-1", 1)));
        RecentEventIds.Claim retry = ids.claim(List.of(event("shop", "e1", "B-1", 2), event("shop", "e2", "B-2", 2)));
        ids.release(retry);
        assertThat(ids.size()).isEqualTo(1);
        assertThat(ids.claim(List.of(event("shop", "e1", "B-changed", 3))).ok()).as("e1 was remembered before").isFalse();
        assertThat(ids.claim(List.of(event("shop", "e2", "B-changed", 3))).ok()).as("e2 was released").isTrue();
    }

    @Test
    void retentionIsTheProfileJobsRuleInTheCitysZone() {
        CityRetention.Retention three = new CityRetention.Retention(3, ZoneId.of("Europe/Berlin"));
        Instant now = Instant.parse("2026-12-04T12:00:00Z");
        assertThat(three.expired(Instant.parse("2023-12-04T11:00:00Z"), now)).isTrue();
        assertThat(three.expired(Instant.parse("2023-12-04T12:00:00Z"), now)).as("expiry == now: expired").isTrue();
        assertThat(three.expired(Instant.parse("2023-12-04T12:00:01Z"), now)).isFalse();
        assertThat(new CityRetention.Retention(0, ZoneId.of("UTC")).expired(Instant.EPOCH, now)).isFalse();
    }
}
