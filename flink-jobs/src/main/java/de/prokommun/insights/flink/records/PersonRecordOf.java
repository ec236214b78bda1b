package de.prokommun.insights.flink.records;

import de.prokommun.insights.validation.WriteLimits;
import de.prokommun.insights.events.AnonymousCardLinked;
import de.prokommun.insights.events.AnonymousEvent;
import de.prokommun.insights.events.BonusPointsEarned;
import de.prokommun.insights.events.BonusPointsRedeemed;
import de.prokommun.insights.events.EmployerVoucherCredited;
import de.prokommun.insights.events.EmployerVoucherRedeemed;
import de.prokommun.insights.events.EventCheckedIn;
import de.prokommun.insights.events.GiftVoucherRedeemed;
import de.prokommun.insights.events.GiftVoucherSold;
import de.prokommun.insights.events.NewsletterSubscribed;
import de.prokommun.insights.events.NewsletterUnsubscribed;
import de.prokommun.insights.events.ParticipantFollowed;
import de.prokommun.insights.events.ParticipantUnfollowed;
import de.prokommun.insights.events.Payment;
import de.prokommun.insights.events.PersonRecord;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseLine;
import de.prokommun.insights.flink.ledger.Measures;
import de.prokommun.insights.flink.ledger.ProductGroups;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.avro.generic.IndexedRecord;

/**
 * Pure helper: the record a person expects to see for one of their accepted events (purchases, vouchers, bonus
 * points, newsletter and follow changes, check-ins, card links), or none for events that only change the
 * profile (registration, profile and consent changes) or remove data (retraction, erasure).
 * Version 0: the {@link PersonRecordBook} stamps it.
 */
public final class PersonRecordOf {
    private PersonRecordOf() {}

    /** Wire names of the event types (docs/EVENTS.md) that leave a record. */
    static final Map<Class<?>, String> KINDS = Map.ofEntries(
            Map.entry(Purchase.class, "purchase"),
            Map.entry(AnonymousCardLinked.class, "card.linked"),
            Map.entry(BonusPointsEarned.class, "bonus.earned"),
            Map.entry(BonusPointsRedeemed.class, "bonus.redeemed"),
            Map.entry(GiftVoucherSold.class, "gift_voucher.sold"),
            Map.entry(GiftVoucherRedeemed.class, "gift_voucher.redeemed"),
            Map.entry(EmployerVoucherCredited.class, "employer_voucher.credited"),
            Map.entry(EmployerVoucherRedeemed.class, "employer_voucher.redeemed"),
            Map.entry(NewsletterSubscribed.class, "newsletter.subscribed"),
            Map.entry(NewsletterUnsubscribed.class, "newsletter.unsubscribed"),
            Map.entry(ParticipantFollowed.class, "participant.followed"),
            Map.entry(ParticipantUnfollowed.class, "participant.unfollowed"),
            Map.entry(EventCheckedIn.class, "event.checked_in"));

    public static String purchaseRecordId(String participant, String receipt) {
        return "purchase:" + participant + ":" + receipt;
    }

    public static String eventRecordId(String participant, String eventId) {
        return "event:" + participant + ":" + eventId;
    }

    public static Optional<PersonRecord> of(AnonymousEvent event, ProductGroups.Lookup groups) throws Exception {
        Object payload = event.getPayload();
        String kind = KINDS.get(payload.getClass());
        if (kind == null) return Optional.empty();
        PersonRecord.Builder b = PersonRecord.newBuilder()
                .setPseudonym(event.getPseudonym())
                .setCity(event.getCity())
                .setKind(kind)
                .setParticipant(event.getParticipant())
                .setEventTime(event.getEventTime())
                .setDeleted(false)
                .setVersion(0L);
        if (payload instanceof Purchase p) return Optional.of(purchase(b, event, p, groups));
        b.setRecordId(eventRecordId(event.getParticipant(), event.getEventId()));
        // a redemption may carry the code of a campaign's offer (issue 18): the resident sees which offer it redeemed
        boolean redemption = payload instanceof GiftVoucherRedeemed || payload instanceof EmployerVoucherRedeemed;
        b.setDetails(RecordDetails.of((IndexedRecord) payload, redemption ? event.getCampaignCode() : null));
        if (payload instanceof GiftVoucherRedeemed v) b.setAmountCents(v.getAmountCents()).setReceipt(v.getReceipt());
        else if (payload instanceof GiftVoucherSold v) b.setAmountCents(v.getAmountCents());
        else if (payload instanceof EmployerVoucherRedeemed v) b.setAmountCents(v.getAmountCents()).setReceipt(v.getReceipt());
        else if (payload instanceof EmployerVoucherCredited v) b.setAmountCents(v.getAmountCents());
        else if (payload instanceof BonusPointsEarned p) b.setQuantity(p.getPoints()).setReceipt(p.getReceipt());
        else if (payload instanceof BonusPointsRedeemed p) b.setQuantity(p.getPoints()).setReceipt(p.getReceipt());
        return Optional.of(b.build());
    }

    /** Lines with their category at this moment (as the ledger records them), payments, totals. */
    private static PersonRecord purchase(PersonRecord.Builder b, AnonymousEvent event, Purchase p,
                                         ProductGroups.Lookup groups) throws Exception {
        TreeSet<String> categories = new TreeSet<>();
        long amount = 0;
        long quantity = 0;
        List<String> lineCategories = new java.util.ArrayList<>(p.getLines().size());
        for (PurchaseLine line : p.getLines()) {
            String category = groups.categoryOf(event.getCity(), event.getParticipant(), line.getProductGroup());
            if (category == null) category = Measures.UNMAPPED;
            categories.add(category);
            lineCategories.add(category);
            amount = WriteLimits.sum(amount, line.getAmountCents(), "the amountCents of receipt " + p.getReceipt());
            quantity = WriteLimits.sum(quantity, line.getQuantity(), "the quantity of receipt " + p.getReceipt());
        }
        String details = RecordDetails.json(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("lines");
            for (int i = 0; i < p.getLines().size(); i++) {
                PurchaseLine line = p.getLines().get(i);
                g.writeStartObject();
                g.writeStringField("productGroup", line.getProductGroup());
                g.writeNumberField("quantity", line.getQuantity());
                g.writeNumberField("amountCents", line.getAmountCents());
                g.writeStringField("category", lineCategories.get(i));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("payments");
            for (Payment pay : p.getPayments()) {
                g.writeStartObject();
                g.writeStringField("kind", pay.getKind().name());
                g.writeNumberField("amountCents", pay.getAmountCents());
                g.writeEndObject();
            }
            g.writeEndArray();
            RecordDetails.campaignCode(g, event.getCampaignCode());
            g.writeEndObject();
        });
        return b.setRecordId(purchaseRecordId(event.getParticipant(), p.getReceipt()))
                .setReceipt(p.getReceipt())
                .setAmountCents(amount)
                .setQuantity(quantity)
                .setCategories(List.copyOf(categories))
                .setDetails(details)
                .build();
    }
}
