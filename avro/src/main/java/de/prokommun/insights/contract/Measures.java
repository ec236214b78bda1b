package de.prokommun.insights.contract;

import static de.prokommun.insights.contract.Measure.Column.AMOUNT_CENTS;
import static de.prokommun.insights.contract.Measure.Column.COUNT;
import static de.prokommun.insights.contract.Measure.Column.LAG_DAYS;
import static de.prokommun.insights.contract.Measure.Column.QUANTITY;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The typed registry of the measures of the contributions table (beside {@link Topics} and {@link PinotTables}):
 * the jobs write rows under these names, the query service sums them. {@link Names} holds the names as compile-time
 * constants, for the jobs' {@code switch} statements; everything else uses the {@link Measure}s.
 */
public final class Measures {
    private Measures() {}

    /** The measure names as constants (for {@code case} labels); the same strings as {@link Measure#name()}. */
    public static final class Names {
        private Names() {}

        public static final String PURCHASE = "purchase";
        public static final String UNMAPPED_LINE = "unmapped_line";
        public static final String SUBMITTED_UNMAPPED_LINE = "submitted_unmapped_line";
        public static final String BUYER_MONTH = "buyer_month";
        public static final String BUYER_YEAR = "buyer_year";
        public static final String CUSTOMER_MONTH = "customer_month";
        public static final String CUSTOMER_YEAR = "customer_year";
        public static final String REGISTRATION = "registration";
        public static final String ACTIVE_RESIDENT = "active_resident";
        public static final String VOUCHER_REDEMPTION = "voucher_redemption";
        public static final String PURCHASE_CLAMPED = "purchase_clamped";
        public static final String SPEND_CLAMPED = "spend_clamped";
        public static final String VISIT = "visit";
        public static final String SHARED_CUSTOMER_MONTH = "shared_customer_month";
        public static final String SHARED_CUSTOMER_YEAR = "shared_customer_year";
        public static final String FLOW_MONTH = "flow_month";
        public static final String CATEGORY_FLOW_MONTH = "category_flow_month";
        public static final String FIRST_VISIT = "first_visit";
        public static final String ENGAGED_MONTH = "engaged_month";
        public static final String ENGAGED_BUYER_MONTH = "engaged_buyer_month";
        public static final String EMPLOYER_VOUCHER_CREDITED = "employer_voucher_credited";
        public static final String EMPLOYER_VOUCHER_SPENT = "employer_voucher_spent";
        public static final String BONUS_POINTS_EARNED = "bonus_points_earned";
        public static final String BONUS_POINTS_REDEEMED = "bonus_points_redeemed";
        public static final String GIFT_VOUCHER_SOLD = "gift_voucher_sold";
        public static final String GIFT_VOUCHER_REDEEMED = "gift_voucher_redeemed";
        public static final String CAMPAIGN_TREATMENT = "campaign_treatment";
        public static final String CAMPAIGN_CONTROL = "campaign_control";
        public static final String CAMPAIGN_DELIVERED = "campaign_delivered";
        public static final String CAMPAIGN_OPENED = "campaign_opened";
        public static final String CAMPAIGN_REDEEMED = "campaign_redeemed";
        public static final String CAMPAIGN_CONVERTED = "campaign_converted";
        public static final String CAMPAIGN_HELD_WEEKLY_CAP = "campaign_held_weekly_cap";
    }

    // ---- the contribution ledger (purchases, distinct buyers and customers, city pulse) ----------------------
    public static final Measure PURCHASE = new Measure(Names.PURCHASE, List.of(COUNT, QUANTITY, AMOUNT_CENTS),
            "one receipt's lines of one category: 1, their quantity, their amount (spend; unclamped)");
    public static final Measure UNMAPPED_LINE = new Measure(Names.UNMAPPED_LINE, List.of(COUNT, QUANTITY, AMOUNT_CENTS),
            "retired (issue 14, item 8): lines of a product group without mapping, profiled residents only; only"
                    + " negations of old rows are still written");
    public static final Measure SUBMITTED_UNMAPPED_LINE = new Measure(Names.SUBMITTED_UNMAPPED_LINE,
            List.of(COUNT, QUANTITY, AMOUNT_CENTS),
            "lines of a participant's product group without mapping, from every purchase it submitted (issue 15);"
                    + " category = the group");
    public static final Measure BUYER_MONTH = new Measure(Names.BUYER_MONTH, List.of(COUNT),
            "distinct buyers of a category in a month (+1 at the person's first live purchase, −1 when the last goes)");
    public static final Measure BUYER_YEAR = new Measure(Names.BUYER_YEAR, List.of(COUNT),
            "distinct buyers of a category in a year");
    public static final Measure CUSTOMER_MONTH = new Measure(Names.CUSTOMER_MONTH, List.of(COUNT),
            "distinct customers of a participant in a month");
    public static final Measure CUSTOMER_YEAR = new Measure(Names.CUSTOMER_YEAR, List.of(COUNT),
            "distinct customers of a participant in a year");
    public static final Measure REGISTRATION = new Measure(Names.REGISTRATION, List.of(COUNT),
            "a profiled person's first registration");
    public static final Measure ACTIVE_RESIDENT = new Measure(Names.ACTIVE_RESIDENT, List.of(COUNT),
            "distinct person-days with at least one live activity");
    public static final Measure VOUCHER_REDEMPTION = new Measure(Names.VOUCHER_REDEMPTION, List.of(COUNT, AMOUNT_CENTS),
            "a gift or employer voucher redemption (category gift_voucher / employer_voucher), amount redeemed");
    public static final Measure PURCHASE_CLAMPED = new Measure(Names.PURCHASE_CLAMPED, List.of(COUNT),
            "change of min(a person's live receipts of a category in a month, clamps.purchasesPerPersonMonth)");
    public static final Measure SPEND_CLAMPED = new Measure(Names.SPEND_CLAMPED, List.of(AMOUNT_CENTS),
            "change of min(a person's live spend in cents on a category in a month, clamps.spendCentsPerPersonMonth)");

    // ---- the journey ledger -------------------------------------------------------------------------------
    public static final Measure VISIT = new Measure(Names.VISIT, List.of(COUNT, AMOUNT_CENTS),
            "one of a person's first visitsPerPersonMonth visits of a month; amount cut to the spend clamp");
    public static final Measure SHARED_CUSTOMER_MONTH = new Measure(Names.SHARED_CUSTOMER_MONTH, List.of(COUNT),
            "person × month × ordered pair of participants, both with a live purchase of the person in the month");
    public static final Measure SHARED_CUSTOMER_YEAR = new Measure(Names.SHARED_CUSTOMER_YEAR, List.of(COUNT),
            "the same per year");
    public static final Measure FLOW_MONTH = new Measure(Names.FLOW_MONTH, List.of(COUNT),
            "person × month × (from, to) participants × cumulative lag bucket of consecutive visits");
    public static final Measure CATEGORY_FLOW_MONTH = new Measure(Names.CATEGORY_FLOW_MONTH, List.of(COUNT),
            "as flow_month with the main categories of the two visits as nodes");
    public static final Measure FIRST_VISIT = new Measure(Names.FIRST_VISIT, List.of(COUNT),
            "a person's earliest live visit");
    public static final Measure ENGAGED_MONTH = new Measure(Names.ENGAGED_MONTH, List.of(COUNT),
            "person × participant × month with a newsletter subscription to it or a follow of it");
    public static final Measure ENGAGED_BUYER_MONTH = new Measure(Names.ENGAGED_BUYER_MONTH, List.of(COUNT),
            "the same key, when a live purchase at the participant followed one of those engagements within 30 days");
    public static final Measure EMPLOYER_VOUCHER_CREDITED = new Measure(Names.EMPLOYER_VOUCHER_CREDITED,
            List.of(AMOUNT_CENTS, COUNT), "one employer voucher credit, amount cut per person-month; counterpart = employer");
    public static final Measure EMPLOYER_VOUCHER_SPENT = new Measure(Names.EMPLOYER_VOUCHER_SPENT,
            List.of(AMOUNT_CENTS, COUNT, LAG_DAYS),
            "one employer voucher redemption, amount cut per person-month; counterpart = employer of the latest credit");
    public static final Measure BONUS_POINTS_EARNED = new Measure(Names.BONUS_POINTS_EARNED, List.of(QUANTITY, COUNT),
            "bonus points earned at a participant (quantity = points, cut per person-month)");
    public static final Measure BONUS_POINTS_REDEEMED = new Measure(Names.BONUS_POINTS_REDEEMED, List.of(QUANTITY, COUNT),
            "bonus points redeemed at a participant (quantity = points, cut per person-month)");

    // ---- gift-voucher circulation ---------------------------------------------------------------------------
    public static final Measure GIFT_VOUCHER_SOLD = new Measure(Names.GIFT_VOUCHER_SOLD, List.of(AMOUNT_CENTS, COUNT),
            "a live gift voucher sale at its seller, amount cut per buyer-month");
    public static final Measure GIFT_VOUCHER_REDEEMED = new Measure(Names.GIFT_VOUCHER_REDEEMED,
            List.of(AMOUNT_CENTS, COUNT, LAG_DAYS),
            "a live gift voucher redemption where redeemed, counterpart = seller, amount cut per redeemer-month");

    // ---- campaigns (issue 18, docs/CAMPAIGNS.md; participant = the campaign's, counterpart = campaign id) ----------
    public static final Measure CAMPAIGN_TREATMENT = new Measure(Names.CAMPAIGN_TREATMENT, List.of(COUNT),
            "a matching, consenting resident assigned to a campaign's treatment group (at first eligibility)");
    public static final Measure CAMPAIGN_CONTROL = new Measure(Names.CAMPAIGN_CONTROL, List.of(COUNT),
            "a matching, consenting resident held out as the campaign's control group (never contacted)");
    public static final Measure CAMPAIGN_DELIVERED = new Measure(Names.CAMPAIGN_DELIVERED, List.of(COUNT),
            "an offer handed to the portal outbox for one resident (within the recipient and weekly caps)");
    public static final Measure CAMPAIGN_OPENED = new Measure(Names.CAMPAIGN_OPENED, List.of(COUNT),
            "a delivered offer the portal reported opened (once per resident)");
    public static final Measure CAMPAIGN_REDEEMED = new Measure(Names.CAMPAIGN_REDEEMED, List.of(COUNT),
            "a purchase or voucher redemption at the participant carrying the offer's code (once per resident)");
    public static final Measure CAMPAIGN_CONVERTED = new Measure(Names.CAMPAIGN_CONVERTED, List.of(COUNT),
            "a purchase at the participant within the offer's validity after assignment, treatment and control alike"
                    + " (once per resident): the basis of the uplift");
    public static final Measure CAMPAIGN_HELD_WEEKLY_CAP = new Measure(Names.CAMPAIGN_HELD_WEEKLY_CAP, List.of(COUNT),
            "a treatment resident whose offer the weekly frequency cap held back (once per resident and campaign, on"
                    + " the day it first did; the offer may go out in a later week): the cap's effect for the operator");

    public static final List<Measure> ALL = List.of(PURCHASE, UNMAPPED_LINE, SUBMITTED_UNMAPPED_LINE, BUYER_MONTH,
            BUYER_YEAR, CUSTOMER_MONTH, CUSTOMER_YEAR, REGISTRATION, ACTIVE_RESIDENT, VOUCHER_REDEMPTION,
            PURCHASE_CLAMPED, SPEND_CLAMPED, VISIT, SHARED_CUSTOMER_MONTH, SHARED_CUSTOMER_YEAR, FLOW_MONTH,
            CATEGORY_FLOW_MONTH, FIRST_VISIT, ENGAGED_MONTH, ENGAGED_BUYER_MONTH, EMPLOYER_VOUCHER_CREDITED,
            EMPLOYER_VOUCHER_SPENT, BONUS_POINTS_EARNED, BONUS_POINTS_REDEEMED, GIFT_VOUCHER_SOLD, GIFT_VOUCHER_REDEEMED,
            CAMPAIGN_TREATMENT, CAMPAIGN_CONTROL, CAMPAIGN_DELIVERED, CAMPAIGN_OPENED, CAMPAIGN_REDEEMED, CAMPAIGN_CONVERTED,
            CAMPAIGN_HELD_WEEKLY_CAP);

    private static final Map<String, Measure> BY_NAME = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(Measure::name, Function.identity()));

    public static Optional<Measure> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
