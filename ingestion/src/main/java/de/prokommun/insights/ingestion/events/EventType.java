package de.prokommun.insights.ingestion.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The event types of the JSON form (docs/EVENTS.md): wire name, who may send it, which person it is about,
 * the fields its {@code data} may carry and how they become the Avro payload.
 */
public enum EventType {
    RESIDENT_REGISTERED("resident.registered", true, Subject.RESIDENT, Payloads::residentRegistered,
            "birthDate", "gender", "postcode", "householdType", "interests", "consents"),
    PROFILE_CHANGED("profile.changed", true, Subject.RESIDENT, Payloads::profileChanged,
            "birthDate", "gender", "postcode", "householdType", "interests"),
    CONSENT_CHANGED("consent.changed", true, Subject.RESIDENT, Payloads::consentChanged,
            "analytics", "offers", "newsletter"),
    CARD_LINKED("card.linked", true, Subject.RESIDENT, Payloads::cardLinked, "card", "replacesCard"),
    PURCHASE("purchase", false, Subject.RESIDENT_OR_CARD, Payloads::purchase, "receipt", "lines", "payments"),
    PURCHASE_RETRACTED("purchase.retracted", false, Subject.RESIDENT_OR_CARD, Payloads::purchaseRetracted, "receipt"),
    BONUS_EARNED("bonus.earned", false, Subject.RESIDENT_OR_CARD, Payloads::bonusEarned, "points", "receipt"),
    BONUS_REDEEMED("bonus.redeemed", false, Subject.RESIDENT_OR_CARD, Payloads::bonusRedeemed, "points", "receipt"),
    GIFT_VOUCHER_SOLD("gift_voucher.sold", false, Subject.ANY, Payloads::giftVoucherSold, "voucher", "amountCents"),
    GIFT_VOUCHER_REDEEMED("gift_voucher.redeemed", false, Subject.ANY, Payloads::giftVoucherRedeemed,
            "voucher", "amountCents", "receipt"),
    EMPLOYER_VOUCHER_CREDITED("employer_voucher.credited", false, Subject.RESIDENT_OR_CARD,
            Payloads::employerVoucherCredited, "employer", "amountCents"),
    EMPLOYER_VOUCHER_REDEEMED("employer_voucher.redeemed", false, Subject.RESIDENT_OR_CARD,
            Payloads::employerVoucherRedeemed, "amountCents", "receipt"),
    NEWSLETTER_SUBSCRIBED("newsletter.subscribed", false, Subject.RESIDENT, Payloads::newsletterSubscribed, "newsletter"),
    NEWSLETTER_UNSUBSCRIBED("newsletter.unsubscribed", false, Subject.RESIDENT, Payloads::newsletterUnsubscribed,
            "newsletter"),
    PARTICIPANT_FOLLOWED("participant.followed", false, Subject.RESIDENT, Payloads::participantFollowed, "followed"),
    PARTICIPANT_UNFOLLOWED("participant.unfollowed", false, Subject.RESIDENT, Payloads::participantUnfollowed,
            "followed"),
    EVENT_CHECKED_IN("event.checked_in", false, Subject.RESIDENT_OR_CARD, Payloads::eventCheckedIn,
            "happening", "category"),
    ERASURE_REQUESTED("erasure.requested", true, Subject.RESIDENT, Payloads::erasureRequested, "reason"),
    /** The portal delivered a campaign's offer and the resident opened it (docs/CAMPAIGNS.md). */
    CAMPAIGN_OPENED("campaign.opened", true, Subject.RESIDENT, Payloads::campaignOpened, "campaignId");

    /** The types whose envelope may carry a campaign's offer code: a redemption of the offer (docs/CAMPAIGNS.md). */
    private static final Set<EventType> REDEEMING = Set.of(PURCHASE, GIFT_VOUCHER_REDEEMED, EMPLOYER_VOUCHER_REDEEMED);

    /** Which person reference the envelope must carry. */
    public enum Subject { RESIDENT, RESIDENT_OR_CARD, ANY }

    private static final Map<String, EventType> BY_WIRE_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::wireName, t -> t));

    private final String wireName;
    private final boolean portalOnly;
    private final Subject subject;
    private final Function<PayloadContext, Object> payload;
    private final Set<String> dataFields;

    EventType(String wireName, boolean portalOnly, Subject subject, Function<PayloadContext, Object> payload,
              String... dataFields) {
        this.wireName = wireName;
        this.portalOnly = portalOnly;
        this.subject = subject;
        this.payload = payload;
        this.dataFields = Set.of(dataFields);
    }

    public static Optional<EventType> fromWireName(String name) {
        return Optional.ofNullable(BY_WIRE_NAME.get(name));
    }

    public static String wireNames() {
        return Arrays.stream(values()).map(EventType::wireName).collect(Collectors.joining(", "));
    }

    public String wireName() { return wireName; }

    /** Only the portal's API key may send it (registration, profile, consent, card link, erasure, campaign opened). */
    public boolean portalOnly() { return portalOnly; }

    public Subject subject() { return subject; }

    /** Whether the envelope may carry {@code campaignCode}. */
    public boolean mayCarryCampaignCode() { return REDEEMING.contains(this); }

    Set<String> dataFields() { return dataFields; }

    /** The Avro payload built from {@code data}, or null after recording errors. */
    Object payload(PayloadContext context) {
        return payload.apply(context);
    }
}
