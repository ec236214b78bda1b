package de.prokommun.insights.query.journey;

import de.prokommun.insights.privacy.CanonicalQuestion;
import de.prokommun.insights.query.insights.SegmentFilter;
import de.prokommun.insights.query.journey.JourneyRequests.Period;

/**
 * The canonical questions of the journey figures: kind, period ("2025" or "2025-03"), segment and the parameters
 * that make a figure what it is (nodes of a matrix, the participant whose row alone is asked, lag bucket).
 */
final class JourneyQuestions {
    private JourneyQuestions() {}

    static final String CUSTOMERS = "journey.customers";
    static final String SHARED = "journey.shared-customers";
    static final String FLOWS = "journey.flows";
    static final String FIRST_VISITS = "journey.first-visits";
    static final String VISITS_WEEKDAY_HOUR = "journey.visits.weekday-hour";
    static final String VISITS_PLACE = "journey.visits.place";
    static final String SPEND_PLACE = "journey.spend.place";
    static final String ENGAGED = "journey.engaged";
    static final String ENGAGED_BUYERS = "journey.engaged-buyers";
    static final String GIFT_SOLD_CENTS = "journey.gift.sold.cents";
    static final String GIFT_SOLD_COUNT = "journey.gift.sold.count";
    static final String GIFT_REDEEMED_CENTS = "journey.gift.redeemed.cents";
    static final String GIFT_REDEEMED_COUNT = "journey.gift.redeemed.count";
    static final String GIFT_LAG_DAYS = "journey.gift.redeemed.lag-days";
    static final String GIFT_LAG_COUNT = "journey.gift.redeemed.lag-count";
    static final String GIFT_MATRIX = "journey.gift.matrix";
    static final String EMPLOYER_CREDITED = "journey.employer.credited";
    static final String EMPLOYER_SPENT = "journey.employer.spent";
    static final String EMPLOYER_SPENT_WHERE = "journey.employer.spent-where";
    static final String BONUS_EARNED = "journey.bonus.earned";
    static final String BONUS_REDEEMED = "journey.bonus.redeemed";
    static final String VOUCHER_TOTALS = "journey.voucher.totals";

    /** A figure of a period within a segment; {@code row}: the only participant whose cells are asked (or null). */
    static CanonicalQuestion of(String kind, Period period, SegmentFilter segment, String row) {
        CanonicalQuestion q = segment.describe(CanonicalQuestion.of(kind).param("period", period.label()));
        if (row != null) q.param("row", row);
        return q;
    }
}
