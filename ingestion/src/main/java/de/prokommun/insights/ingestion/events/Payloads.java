package de.prokommun.insights.ingestion.events;

import de.prokommun.insights.events.BonusPointsEarned;
import de.prokommun.insights.events.BonusPointsRedeemed;
import de.prokommun.insights.events.CampaignOpened;
import de.prokommun.insights.events.CardLinked;
import de.prokommun.insights.events.ConsentChanged;
import de.prokommun.insights.events.Consents;
import de.prokommun.insights.events.EmployerVoucherCredited;
import de.prokommun.insights.events.EmployerVoucherRedeemed;
import de.prokommun.insights.events.ErasureRequested;
import de.prokommun.insights.events.EventCheckedIn;
import de.prokommun.insights.events.Gender;
import de.prokommun.insights.events.GiftVoucherRedeemed;
import de.prokommun.insights.events.GiftVoucherSold;
import de.prokommun.insights.events.HouseholdType;
import de.prokommun.insights.events.NewsletterSubscribed;
import de.prokommun.insights.events.NewsletterUnsubscribed;
import de.prokommun.insights.events.ParticipantFollowed;
import de.prokommun.insights.events.ParticipantUnfollowed;
import de.prokommun.insights.events.Payment;
import de.prokommun.insights.events.PaymentKind;
import de.prokommun.insights.events.ProfileChanged;
import de.prokommun.insights.events.Purchase;
import de.prokommun.insights.events.PurchaseLine;
import de.prokommun.insights.events.PurchaseRetracted;
import de.prokommun.insights.events.ResidentRegistered;
import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import de.prokommun.insights.validation.WriteLimits;

/**
 * Builds the Avro payload of each event type from its {@code data} object, enforcing the limits of
 * docs/EVENTS.md. Each builder reads every field (so all errors are reported) and returns null if any failed.
 */
final class Payloads {
    private Payloads() {}

    static final int REFERENCE_MAX = 64;
    static final int TEXT_MAX = 128;
    static final int MAX_INTERESTS = 50;
    static final int MAX_LINES = WriteLimits.LINES_MAX;
    static final int MAX_PAYMENTS = 20;
    static final int MAX_AGE_YEARS = 120;
    /** Sachbezug: at most 50 EUR per month. */
    static final long EMPLOYER_VOUCHER_MAX_CENTS = WriteLimits.EMPLOYER_VOUCHER_CREDIT_MAX_CENTS;
    private static final String LINE_LIMIT = "1,000,000 € a line";
    private static final String PAYMENT_LIMIT = "10,000,000 € a receipt";
    private static final String QUANTITY_LIMIT = WriteLimits.QUANTITY_MAX + " a line";
    private static final String POINTS_LIMIT = WriteLimits.POINTS_MAX + " points an event";
    private static final String GIFT_LIMIT = "10,000 € a gift voucher";
    private static final String EMPLOYER_REDEEM_LIMIT = "1,000,000 € a redemption";
    private static final Pattern POSTCODE = Pattern.compile("[0-9]{5}");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Set<String> LINE_FIELDS = Set.of("productGroup", "quantity", "amountCents");
    private static final Set<String> PAYMENT_FIELDS = Set.of("kind", "amountCents");
    private static final Set<String> CONSENT_FIELDS = Set.of("analytics", "offers", "newsletter");

    static Object residentRegistered(PayloadContext c) {
        JsonFields d = c.data();
        String birthDate = birthDate(d, c.eventDate(), true);
        Gender gender = d.requiredEnum("gender", Gender.class);
        String postcode = d.requiredMatching("postcode", POSTCODE, "5 digits", 5, 5);
        HouseholdType household = d.requiredEnum("householdType", HouseholdType.class);
        List<String> interests = interests(d);
        Consents consents = consents(d);
        if (anyNull(birthDate, gender, postcode, household, consents) || (d.has("interests") && interests == null)) {
            return null;
        }
        return ResidentRegistered.newBuilder().setBirthDate(birthDate).setGender(gender).setPostcode(postcode)
                .setHouseholdType(household).setInterests(interests == null ? List.of() : interests)
                .setConsents(consents).build();
    }

    static Object profileChanged(PayloadContext c) {
        JsonFields d = c.data();
        if (!nonEmpty(d, "birthDate", "gender", "postcode", "householdType", "interests")) return null;
        String birthDate = birthDate(d, c.eventDate(), false);
        Gender gender = d.optionalEnum("gender", Gender.class);
        String postcode = d.has("postcode") ? d.requiredMatching("postcode", POSTCODE, "5 digits", 5, 5) : null;
        HouseholdType household = d.optionalEnum("householdType", HouseholdType.class);
        List<String> interests = interests(d);
        if (failed(d, "birthDate", birthDate) || failed(d, "gender", gender) || failed(d, "postcode", postcode)
                || failed(d, "householdType", household) || failed(d, "interests", interests)) {
            return null;
        }
        return ProfileChanged.newBuilder().setBirthDate(birthDate).setGender(gender).setPostcode(postcode)
                .setHouseholdType(household).setInterests(interests).build();
    }

    static Object consentChanged(PayloadContext c) {
        JsonFields d = c.data();
        if (!nonEmpty(d, "analytics", "offers", "newsletter")) return null;
        Boolean analytics = d.optionalBoolean("analytics");
        Boolean offers = d.optionalBoolean("offers");
        Boolean newsletter = d.optionalBoolean("newsletter");
        if (failed(d, "analytics", analytics) || failed(d, "offers", offers) || failed(d, "newsletter", newsletter)) {
            return null;
        }
        return ConsentChanged.newBuilder().setAnalytics(analytics).setOffers(offers).setNewsletter(newsletter).build();
    }

    static Object cardLinked(PayloadContext c) {
        JsonFields d = c.data();
        String card = d.requiredString("card", 1, REFERENCE_MAX);
        String replaces = d.optionalString("replacesCard", 1, REFERENCE_MAX);
        if (card != null && card.equals(replaces)) {
            d.invalid("replacesCard", "must differ from card");
            return null;
        }
        if (card == null || failed(d, "replacesCard", replaces)) return null;
        return CardLinked.newBuilder().setCard(card).setReplacesCard(replaces).build();
    }

    static Object purchase(PayloadContext c) {
        JsonFields d = c.data();
        String receipt = d.requiredString("receipt", 1, REFERENCE_MAX);
        List<PurchaseLine> lines = d.array("lines", true, 1, MAX_LINES, e -> purchaseLine(e.asObject()));
        List<Payment> payments = d.array("payments", false, 0, MAX_PAYMENTS, e -> payment(e.asObject()));
        if (receipt == null || lines == null || failed(d, "payments", payments)) return null;
        if (!withinReceiptLimit(d, "lines", lines.stream().mapToLong(PurchaseLine::getAmountCents).toArray())) return null;
        if (payments != null
                && !withinReceiptLimit(d, "payments", payments.stream().mapToLong(Payment::getAmountCents).toArray())) {
            return null;
        }
        return Purchase.newBuilder().setReceipt(receipt).setLines(lines)
                .setPayments(payments == null ? List.of() : payments).build();
    }

    private static PurchaseLine purchaseLine(JsonFields line) {
        if (line == null) return null;
        line.rejectUnknown(LINE_FIELDS);
        String group = line.requiredString("productGroup", 1, TEXT_MAX);
        Long quantity = line.requiredLong("quantity", 1, WriteLimits.QUANTITY_MAX, QUANTITY_LIMIT);
        Long amount = line.requiredLong("amountCents", 0, WriteLimits.LINE_MAX_CENTS, LINE_LIMIT);
        if (anyNull(group, quantity, amount)) return null;
        return PurchaseLine.newBuilder().setProductGroup(group).setQuantity(quantity.intValue())
                .setAmountCents(amount).build();
    }

    private static Payment payment(JsonFields payment) {
        if (payment == null) return null;
        payment.rejectUnknown(PAYMENT_FIELDS);
        PaymentKind kind = payment.requiredEnum("kind", PaymentKind.class);
        Long amount = payment.requiredLong("amountCents", 0, WriteLimits.PAYMENT_MAX_CENTS, PAYMENT_LIMIT);
        if (anyNull(kind, amount)) return null;
        return Payment.newBuilder().setKind(kind).setAmountCents(amount).build();
    }

    static Object purchaseRetracted(PayloadContext c) {
        String receipt = c.data().requiredString("receipt", 1, REFERENCE_MAX);
        return receipt == null ? null : PurchaseRetracted.newBuilder().setReceipt(receipt).build();
    }

    static Object bonusEarned(PayloadContext c) {
        JsonFields d = c.data();
        Long points = d.requiredLong("points", 1, WriteLimits.POINTS_MAX, POINTS_LIMIT);
        String receipt = d.optionalString("receipt", 1, REFERENCE_MAX);
        if (points == null || failed(d, "receipt", receipt)) return null;
        return BonusPointsEarned.newBuilder().setPoints(points).setReceipt(receipt).build();
    }

    static Object bonusRedeemed(PayloadContext c) {
        JsonFields d = c.data();
        Long points = d.requiredLong("points", 1, WriteLimits.POINTS_MAX, POINTS_LIMIT);
        String receipt = d.optionalString("receipt", 1, REFERENCE_MAX);
        if (points == null || failed(d, "receipt", receipt)) return null;
        return BonusPointsRedeemed.newBuilder().setPoints(points).setReceipt(receipt).build();
    }

    static Object giftVoucherSold(PayloadContext c) {
        JsonFields d = c.data();
        String voucher = d.requiredString("voucher", 1, REFERENCE_MAX);
        Long amount = d.requiredLong("amountCents", 1, WriteLimits.GIFT_VOUCHER_MAX_CENTS, GIFT_LIMIT);
        if (anyNull(voucher, amount)) return null;
        return GiftVoucherSold.newBuilder().setVoucher(voucher).setAmountCents(amount).build();
    }

    static Object giftVoucherRedeemed(PayloadContext c) {
        JsonFields d = c.data();
        String voucher = d.requiredString("voucher", 1, REFERENCE_MAX);
        Long amount = d.requiredLong("amountCents", 1, WriteLimits.GIFT_VOUCHER_MAX_CENTS, GIFT_LIMIT);
        String receipt = d.optionalString("receipt", 1, REFERENCE_MAX);
        if (anyNull(voucher, amount) || failed(d, "receipt", receipt)) return null;
        return GiftVoucherRedeemed.newBuilder().setVoucher(voucher).setAmountCents(amount).setReceipt(receipt).build();
    }

    static Object employerVoucherCredited(PayloadContext c) {
        JsonFields d = c.data();
        String employer = d.requiredString("employer", 1, TEXT_MAX);
        Long amount = d.requiredLong("amountCents", 1, EMPLOYER_VOUCHER_MAX_CENTS, "50 € a month (Sachbezug)");
        if (anyNull(employer, amount)) return null;
        return EmployerVoucherCredited.newBuilder().setEmployer(employer).setAmountCents(amount).build();
    }

    static Object employerVoucherRedeemed(PayloadContext c) {
        JsonFields d = c.data();
        Long amount = d.requiredLong("amountCents", 1, WriteLimits.EMPLOYER_VOUCHER_REDEEM_MAX_CENTS,
                EMPLOYER_REDEEM_LIMIT);
        String receipt = d.optionalString("receipt", 1, REFERENCE_MAX);
        if (amount == null || failed(d, "receipt", receipt)) return null;
        return EmployerVoucherRedeemed.newBuilder().setAmountCents(amount).setReceipt(receipt).build();
    }

    static Object newsletterSubscribed(PayloadContext c) {
        String newsletter = c.data().requiredString("newsletter", 1, TEXT_MAX);
        return newsletter == null ? null : NewsletterSubscribed.newBuilder().setNewsletter(newsletter).build();
    }

    static Object newsletterUnsubscribed(PayloadContext c) {
        String newsletter = c.data().requiredString("newsletter", 1, TEXT_MAX);
        return newsletter == null ? null : NewsletterUnsubscribed.newBuilder().setNewsletter(newsletter).build();
    }

    static Object participantFollowed(PayloadContext c) {
        String followed = c.data().requiredString("followed", 1, TEXT_MAX);
        return followed == null ? null : ParticipantFollowed.newBuilder().setFollowed(followed).build();
    }

    static Object participantUnfollowed(PayloadContext c) {
        String followed = c.data().requiredString("followed", 1, TEXT_MAX);
        return followed == null ? null : ParticipantUnfollowed.newBuilder().setFollowed(followed).build();
    }

    static Object eventCheckedIn(PayloadContext c) {
        JsonFields d = c.data();
        String happening = d.requiredString("happening", 1, TEXT_MAX);
        String category = d.optionalString("category", 1, REFERENCE_MAX);
        if (happening == null || failed(d, "category", category)) return null;
        return EventCheckedIn.newBuilder().setHappening(happening).setCategory(category).build();
    }

    static Object erasureRequested(PayloadContext c) {
        JsonFields d = c.data();
        String reason = d.optionalFreeText("reason", 1, 500);
        if (failed(d, "reason", reason)) return null;
        return ErasureRequested.newBuilder().setReason(reason).build();
    }

    static Object campaignOpened(PayloadContext c) {
        String campaign = c.data().requiredString("campaignId", 1, REFERENCE_MAX);
        return campaign == null ? null : CampaignOpened.newBuilder().setCampaignId(campaign).build();
    }

    // ---- shared pieces -------------------------------------------------------------------------

    /** A yyyy-MM-dd date giving an age of 0–120 years on the event's day. */
    private static String birthDate(JsonFields d, LocalDate eventDate, boolean required) {
        String raw = required ? d.requiredString("birthDate", 10, 10) : d.optionalString("birthDate", 10, 10);
        if (raw == null) return null;
        LocalDate date;
        try {
            if (!DATE.matcher(raw).matches()) throw new DateTimeParseException("pattern", raw, 0);
            date = LocalDate.parse(raw);
        } catch (DateTimeParseException e) {
            d.invalid("birthDate", "must be a calendar date yyyy-MM-dd but is '" + raw + "'");
            return null;
        }
        if (eventDate == null) return raw; // eventTime is reported as its own error
        if (date.isAfter(eventDate)) {
            d.invalid("birthDate", "must not be after the event's date " + eventDate);
            return null;
        }
        int age = Period.between(date, eventDate).getYears();
        if (age > MAX_AGE_YEARS) {
            d.invalid("birthDate", "gives an age of " + age + " years; at most " + MAX_AGE_YEARS + " is possible");
            return null;
        }
        return raw;
    }

    private static List<String> interests(JsonFields d) {
        return d.array("interests", false, 0, MAX_INTERESTS, e -> e.asString(1, REFERENCE_MAX));
    }

    private static Consents consents(JsonFields d) {
        JsonFields consents = d.requiredObject("consents");
        if (consents == null) return null;
        consents.rejectUnknown(CONSENT_FIELDS);
        Boolean analytics = consents.requiredBoolean("analytics");
        Boolean offers = consents.requiredBoolean("offers");
        Boolean newsletter = consents.requiredBoolean("newsletter");
        if (anyNull(analytics, offers, newsletter)) return null;
        return Consents.newBuilder().setAnalytics(analytics).setOffers(offers).setNewsletter(newsletter).build();
    }

    /**
     * The amounts of a receipt's lines (or payments) summed exactly: the sum must stay within the receipt limit.
     * Each amount is already within its own limit, so the exact sum cannot overflow; addExact guards the
     * invariant should a limit ever be raised.
     */
    private static boolean withinReceiptLimit(JsonFields d, String field, long[] amounts) {
        long total = 0;
        try {
            for (long a : amounts) total = WriteLimits.sum(total, a, "the sum of " + field);
        } catch (ArithmeticException e) {
            d.invalid(field, e.getMessage());
            return false;
        }
        if (total > WriteLimits.RECEIPT_MAX_CENTS) {
            d.invalid(field, "sum to " + total + " cents; a receipt may total at most " + WriteLimits.RECEIPT_MAX_CENTS
                    + " cents (limit: " + PAYMENT_LIMIT + ")");
            return false;
        }
        return true;
    }

    /** Change events must change something. */
    private static boolean nonEmpty(JsonFields d, String... fields) {
        for (String f : fields) {
            if (d.has(f)) return true;
        }
        d.invalid("", "must set at least one of " + String.join(", ", fields));
        return false;
    }

    /** An optional field that was present but could not be read. */
    private static boolean failed(JsonFields d, String field, Object value) {
        return d.has(field) && value == null;
    }

    private static boolean anyNull(Object... values) {
        for (Object v : values) {
            if (v == null) return true;
        }
        return false;
    }
}
