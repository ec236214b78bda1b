package de.prokommun.insights.query.journey;

import de.prokommun.insights.contract.Measures;
import de.prokommun.insights.privacy.ReleasedCell;
import de.prokommun.insights.privacy.RoleRules;
import de.prokommun.insights.privacy.SumClamps;
import de.prokommun.insights.privacy.TrueCell;
import de.prokommun.insights.query.insights.ContributionQuery;
import de.prokommun.insights.query.insights.Derived;
import de.prokommun.insights.query.insights.ReleasePlan;
import de.prokommun.insights.query.insights.SegmentFilter;
import de.prokommun.insights.query.journey.JourneyRequests.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The voucher figures of one period: gift vouchers sold and redeemed (and between whom), employer vouchers credited
 * and spent, bonus points earned and redeemed, and the city's totals. Amounts are cut per person and month
 * upstream, so every release of one measure has the clamp cut × months whatever its cells. Counts and days to
 * redemption are taken only over rows of at least {@link JourneyClamps#MIN_COUNTED_VOUCHER_CENTS} (a row and its
 * negation pass the filter alike), which bounds how many rows one person has a month.
 */
final class VoucherCirculation {

    private final JourneyContext c;
    private final JourneyData data;
    private final Period period;
    private final String focus;
    private final int months;
    private final SumClamps clamps;
    private final List<String> participants;
    private final ReleasePlan plan = new ReleasePlan();

    VoucherCirculation(JourneyContext c, JourneyData data, JourneyRequests.Vouchers r) {
        this.c = c;
        this.data = data;
        this.period = r.period();
        this.focus = r.focus();
        this.months = r.period().months().size();
        this.clamps = c.clamps();
        this.participants = focus == null ? c.participants().participants() : List.of(focus);
    }

    /** Every question of the answer, not yet released. */
    ReleasePlan plan() {
        long cents = JourneyClamps.voucherCents(clamps, months);
        long counted = JourneyClamps.voucherCount(clamps, months);
        perParticipant("giftSold", "amountCents", JourneyQuestions.GIFT_SOLD_CENTS, query(Measures.GIFT_VOUCHER_SOLD.name(), "amountCents"), cents);
        perParticipant("giftSold", "vouchers", JourneyQuestions.GIFT_SOLD_COUNT, counted(query(Measures.GIFT_VOUCHER_SOLD.name(), "count")), counted);
        perParticipant("giftRedeemed", "amountCents", JourneyQuestions.GIFT_REDEEMED_CENTS,
                query(Measures.GIFT_VOUCHER_REDEEMED.name(), "amountCents"), cents);
        perParticipant("giftRedeemed", "vouchers", JourneyQuestions.GIFT_REDEEMED_COUNT,
                counted(query(Measures.GIFT_VOUCHER_REDEEMED.name(), "count")), counted);
        timed("lagDays", JourneyQuestions.GIFT_LAG_DAYS, "lagDays", JourneyClamps.voucherLagDays(clamps, months));
        timed("timedVouchers", JourneyQuestions.GIFT_LAG_COUNT, "count", counted);
        giftMatrix(cents);
        if (focus == null) {
            perEmployer("creditedCents", JourneyQuestions.EMPLOYER_CREDITED, Measures.EMPLOYER_VOUCHER_CREDITED.name(), cents);
            perEmployer("spentCents", JourneyQuestions.EMPLOYER_SPENT, Measures.EMPLOYER_VOUCHER_SPENT.name(), cents);
        }
        perParticipant("employerSpent", "spentCents", JourneyQuestions.EMPLOYER_SPENT_WHERE,
                query(Measures.EMPLOYER_VOUCHER_SPENT.name(), "amountCents"), cents);
        long points = JourneyClamps.bonusPoints(clamps, months);
        perParticipant("bonus", "earnedPoints", JourneyQuestions.BONUS_EARNED, query(Measures.BONUS_POINTS_EARNED.name(), "quantity"), points);
        perParticipant("bonus", "redeemedPoints", JourneyQuestions.BONUS_REDEEMED, query(Measures.BONUS_POINTS_REDEEMED.name(), "quantity"), points);
        if (focus == null) totals(cents);
        return plan;
    }

    /**
     * The values derived from released cells (after {@link ReleasePlan#release}); the gift-voucher matrix as
     * {@link GiftMatrixBound} shows it (suppressed links left out, links into a place within its released redeemed
     * value). A link scaled below the minimum cell size of the asker's role is left out like a suppressed one.
     */
    void derive(ReleasePlan released, RoleRules rules) {
        Map<String, ReleasedCell> links = new LinkedHashMap<>();
        for (String row : released.rows("giftMatrix")) links.put(row, released.cell("giftMatrix", row, "amountCents"));
        Map<String, Long> shown = GiftMatrixBound.shown(links, place -> released.cell("giftRedeemed", place, "amountCents"));
        long threshold = Math.multiplyExact((long) rules.minCellSize(), JourneyClamps.voucherCents(clamps, months));
        for (Map.Entry<String, ReleasedCell> link : links.entrySet()) {
            Long value = shown.get(link.getKey());
            if (value == null || value < threshold) {
                released.remove("giftMatrix", link.getKey());
            } else if (!value.equals(link.getValue().value())) {
                released.replace("giftMatrix", link.getKey(), "amountCents", link.getValue().lowered(value, rules.display()));
            }
        }
        for (String row : released.rows("giftRedeemed")) {
            released.derive("giftRedeemed", row, "meanDaysToRedemption", JourneyDerived.meanDays(
                    released.cell("giftRedeemed", row, "lagDays"), released.cell("giftRedeemed", row, "timedVouchers")));
        }
        for (String row : released.rows("employer")) {
            released.derive("employer", row, "redemptionRate", Derived.share(
                    released.cell("employer", row, "spentCents"), released.cell("employer", row, "creditedCents")));
        }
        if (focus == null) {
            released.derive("summary", "all", "giftRedemptionRate", Derived.share(
                    released.cell("summary", "all", "giftRedeemedCents"), released.cell("summary", "all", "giftSoldCents")));
            released.derive("summary", "all", "shareSpentLocally", JourneyDerived.shareOfSums(
                    released.cell("summary", "all", "giftRedeemedCents"), released.cell("summary", "all", "employerSpentCents"),
                    released.cell("summary", "all", "giftSoldCents"), released.cell("summary", "all", "employerCreditedCents")));
        }
    }

    List<String> notes() {
        List<String> notes = new ArrayList<>(List.of(
                "amounts are cut to " + clamps.voucherCentsPerPersonMonth() + " cents (bonus points to "
                        + clamps.bonusPointsPerPersonMonth() + ") per person and month before they are summed",
                "vouchers count sales resp. redemptions of at least " + JourneyClamps.MIN_COUNTED_VOUCHER_CENTS
                        + " cents after that cut",
                "meanDaysToRedemption = lagDays / timedVouchers: days from sale to redemption over the redemptions of"
                        + " a known sale within " + JourneyClamps.MAX_COUNTED_LAG_DAYS + " days, from released figures;"
                        + " null when that quotient of two noisy figures lies outside 0.." + JourneyClamps.MAX_COUNTED_LAG_DAYS
                        + " (then it is noise, not a duration)",
                "giftMatrix: value redeemed at the target of vouchers sold by the source (participants of the"
                        + " catalogue); rows whose release is suppressed are left out, and the links into a place never add"
                        + " up to more than its own released giftRedeemed value (scaled down in proportion if they would;"
                        + " none shown into a place whose value is suppressed)",
                "other: participants or employers outside the city's catalogue (employer: also credits of no known employer)"));
        if (focus == null) {
            notes.add("redemptionRate = spentCents / creditedCents per employer; giftRedemptionRate = redeemed / sold"
                    + " value; shareSpentLocally = (gift redeemed + employer spent) / (gift sold + employer credited),"
                    + " all from released figures");
        }
        return notes;
    }

    private ContributionQuery query(String measure, String valueColumn) {
        return data.query(c.city().city(), measure, valueColumn).periods(period.granularity(), List.of(period.value()));
    }

    private static ContributionQuery counted(ContributionQuery q) {
        return q.magnitudeBetween("amountCents", JourneyClamps.MIN_COUNTED_VOUCHER_CENTS, Integer.MAX_VALUE);
    }

    private void perParticipant(String table, String figure, String kind, ContributionQuery q, long clamp) {
        if (focus != null) q.in("participant", participants);
        plan.table(table, participants);
        plan.sums(question(kind), data.cells(q.groupBy("participant"), participants, focus == null), clamp, table, null, figure);
    }

    /** Redemptions of a known sale within the lag bound: the days and how many, per place of redemption. */
    private void timed(String figure, String kind, String valueColumn, long clamp) {
        ContributionQuery q = counted(query(Measures.GIFT_VOUCHER_REDEEMED.name(), valueColumn))
                .magnitudeBetween("lagDays", 0, JourneyClamps.MAX_COUNTED_LAG_DAYS);
        if (focus != null) q.in("participant", participants);
        Map<List<String>, Long> withSeller = new LinkedHashMap<>();
        data.grouped(q.groupBy("participant").groupBy("counterpart"), participants.size())
                .forEach((k, v) -> { if (known(k.get(1))) withSeller.merge(List.of(String.valueOf(k.get(0))), v, Long::sum); });
        plan.sums(question(kind), JourneyData.cells(withSeller, k -> k.get(0), participants, focus == null), clamp,
                "giftRedeemed", null, figure);
    }

    /** Value redeemed per (seller → place of redemption) among the catalogue's participants, the same one included. */
    private void giftMatrix(long clamp) {
        List<String> all = c.participants().participants();
        List<String> labels = new ArrayList<>();
        for (String seller : all) {
            for (String redeemer : all) {
                if (focus == null || focus.equals(seller) || focus.equals(redeemer)) labels.add(JourneyData.pair(seller, redeemer));
            }
        }
        if (labels.isEmpty()) return;
        Map<List<String>, Long> groups = data.grouped(query(Measures.GIFT_VOUCHER_REDEEMED.name(), "amountCents")
                .groupBy("counterpart").groupBy("participant"), labels.size());
        List<TrueCell> cells = JourneyData.cells(groups, k -> JourneyData.pair(String.valueOf(k.get(0)),
                String.valueOf(k.get(1))), labels, false);
        plan.sums(question(JourneyQuestions.GIFT_MATRIX), cells, clamp, "giftMatrix", null, "amountCents");
    }

    private void perEmployer(String figure, String kind, String measure, long clamp) {
        List<String> employers = c.participants().employers();
        plan.table("employer", employers);
        plan.sums(question(kind), data.cells(query(measure, "amountCents").groupBy("counterpart"), employers, true), clamp,
                "employer", null, figure);
    }

    /** The city's four voucher totals as one release: a person adds at most the cut to each of them. */
    private void totals(long cents) {
        List<TrueCell> cells = List.of(
                new TrueCell("giftSoldCents", data.total(query(Measures.GIFT_VOUCHER_SOLD.name(), "amountCents"))),
                new TrueCell("giftRedeemedCents", data.total(query(Measures.GIFT_VOUCHER_REDEEMED.name(), "amountCents"))),
                new TrueCell("employerCreditedCents", data.total(query(Measures.EMPLOYER_VOUCHER_CREDITED.name(), "amountCents"))),
                new TrueCell("employerSpentCents", data.total(query(Measures.EMPLOYER_VOUCHER_SPENT.name(), "amountCents"))));
        plan.table("summary", List.of("all"));
        plan.sums(question(JourneyQuestions.VOUCHER_TOTALS), cells, 4 * cents, "summary", "all", null);
    }

    private de.prokommun.insights.privacy.Question question(String kind) {
        return JourneyQuestions.of(kind, period, SegmentFilter.everyone(), focus).build();
    }

    private static boolean known(String seller) {
        return seller != null && !seller.isEmpty() && !seller.equals("null");
    }
}
