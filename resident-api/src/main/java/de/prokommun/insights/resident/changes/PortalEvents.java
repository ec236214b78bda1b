package de.prokommun.insights.resident.changes;

import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.InteractionEvent;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.events.PurchaseRetracted;
import de.prokommun.insights.resident.auth.Resident;
import java.time.Clock;
import java.util.UUID;

/**
 * A resident's own change as the raw event the portal would send: fresh event id, event time now, the
 * resident reference from the token. A retracted purchase is reported in the name of the participant that
 * reported the purchase, because the ledger matches receipts per participant and person.
 */
public final class PortalEvents {

    private final String portalParticipant;
    private final Clock clock;

    public PortalEvents(String portalParticipant, Clock clock) {
        this.portalParticipant = portalParticipant;
        this.clock = clock;
    }

    public InteractionEvent byPortal(Resident resident, Object payload) {
        return event(resident, portalParticipant, payload);
    }

    public InteractionEvent retraction(Resident resident, PersonRecord purchase) {
        return event(resident, purchase.getParticipant(),
                PurchaseRetracted.newBuilder().setReceipt(purchase.getReceipt()).build());
    }

    public InteractionEvent erasure(Resident resident) {
        return byPortal(resident, ErasureRequested.newBuilder().setReason("resident request (privacy centre)").build());
    }

    private InteractionEvent event(Resident resident, String participant, Object payload) {
        long now = clock.millis();
        return InteractionEvent.newBuilder()
                .setEventId("resident-api:" + UUID.randomUUID())
                .setCity(resident.city())
                .setParticipant(participant)
                .setEventTime(now)
                .setReceivedTime(now)
                .setResident(resident.reference())
                .setPayload(payload)
                .build();
    }
}
