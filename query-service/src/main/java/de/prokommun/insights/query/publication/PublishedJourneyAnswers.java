package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.Asker;
import de.prokommun.insights.privacy.BudgetStatus;
import de.prokommun.insights.privacy.ReleasedCell;
import de.prokommun.insights.query.journey.GiftMatrixBound;
import de.prokommun.insights.query.audience.AnswerSource;
import de.prokommun.insights.query.insights.Derived;
import de.prokommun.insights.query.insights.Granularity;
import de.prokommun.insights.query.insights.InsightAnswer;
import de.prokommun.insights.query.insights.SegmentFilter;
import de.prokommun.insights.query.journey.JourneyDerived;
import de.prokommun.insights.query.journey.JourneyRequests;
import de.prokommun.insights.query.journey.PublishedJourneys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Journey and voucher answers read from the latest journey publication ({@link JourneyPublication}): cross-shopping,
 * participant flows, first visits, city-wide when-where and voucher circulation of a month in the publication's
 * window, without a segment — in the tables of the ad-hoc answers, shown as published figures are (at least 0,
 * suppressed below the role's minimum cell size), free and the same for everybody with the same scope, with the
 * publication as data version and source. Anything else is left to the ad-hoc path (empty).
 *
 * <p>Scope (business confidentiality): requests arrive scoped by {@code JourneyScope}, and the rows are chosen from
 * that scope exactly as the ad-hoc answers choose them — a participant (focus) gets its own customers, the shared
 * customers and flows with itself at one end, its own first visits, its own voucher rows and the gift-matrix rows in
 * which it is seller or redeemer; never the employer table or the city totals, never another participant's row.
 */
public final class PublishedJourneyAnswers implements PublishedJourneys {

    private final PublishedJourney journeys;
    private final PublishedStatistics shown;

    public PublishedJourneyAnswers(PublishedJourney journeys, PublishedStatistics shown) {
        this.journeys = journeys;
        this.shown = shown;
    }

    @Override
    public Optional<InsightAnswer> crossShopping(Asker asker, JourneyRequests.CrossShopping r, Supplier<BudgetStatus> budget) {
        Optional<Held> held = held(asker, r.period(), r.segment(), r.participants());
        if (held.isEmpty()) return Optional.empty();
        Held h = held.get();
        String focus = r.focus();
        PublishedTables a = new PublishedTables(shown, asker);
        List<String> owners = focus == null ? r.participants() : List.of(focus);
        for (String p : owners) a.put("customers", p, "customers", h.value(JourneyGroup.CUSTOMERS.key(), p));
        List<String[]> pairs = pairs(r.participants(), focus, false);
        for (String[] x : pairs) {
            String row = JourneyDomain.pair(x[0], x[1]);
            a.put("shared", row, "shared", h.value(JourneyGroup.SHARED.key(), sharedCell(h.p, x[0], x[1])));
            a.describe("shared", row, x[0], x[1]);
        }
        for (String[] x : pairs) {
            String row = JourneyDomain.pair(x[0], x[1]);
            // A is always one of the rows shown: every node for the operator, the focus itself for a participant.
            a.derive("shared", row, "share", Derived.share(a.cell("shared", row, "shared"),
                    a.cell("customers", x[0], "customers")));
        }
        return Optional.of(answer("journey.cross-shopping", h, a, budget, List.of(
                "from the city's published journey figures " + h.p.id() + " (free, the same for everybody)",
                "customers: distinct residents with a purchase at the participant in " + h.month,
                "shared A→B: distinct residents with a purchase at both A and B in " + h.month + " (= shared B→A);"
                        + " published at most min(customers(A), customers(B))",
                "share = shared(A→B) / customers(A), from published figures; null when an input is suppressed or zero")));
    }

    @Override
    public Optional<InsightAnswer> flows(Asker asker, JourneyRequests.Flows r, Supplier<BudgetStatus> budget) {
        if (r.level() != JourneyRequests.Level.PARTICIPANT) return Optional.empty();
        Optional<Held> held = held(asker, r.period(), r.segment(), r.nodes());
        if (held.isEmpty()) return Optional.empty();
        Held h = held.get();
        String group = JourneyGroup.flows(r.within().hours()).key();
        PublishedTables a = new PublishedTables(shown, asker);
        for (String[] x : pairs(r.nodes(), r.focus(), true)) {
            String row = JourneyDomain.pair(x[0], x[1]);
            a.put("flows", row, "residents", h.value(group, row));
            a.describe("flows", row, x[0], x[1]);
        }
        return Optional.of(answer("journey.flows", h, a, budget, List.of(
                "from the city's published journey figures " + h.p.id() + " (free, the same for everybody)",
                "residents A→B: distinct residents whose next visit after a visit at A was at B within "
                        + r.within().apiName() + ", counted once per month of the second visit",
                "source and target name the nodes of each link (for a Sankey diagram)")));
    }

    @Override
    public Optional<InsightAnswer> firstVisits(Asker asker, JourneyRequests.FirstVisits r, Supplier<BudgetStatus> budget) {
        Optional<Held> held = held(asker, r.period(), r.segment(), List.of());
        if (held.isEmpty()) return Optional.empty();
        Held h = held.get();
        if (r.focus() != null && !h.p.isParticipant(r.focus())) return Optional.empty();
        PublishedTables a = new PublishedTables(shown, asker);
        List<String> rows = r.focus() == null ? withOther(h.p.participants()) : List.of(r.focus());
        for (String p : rows) a.put("firstVisits", p, "newCustomers", h.value(JourneyGroup.FIRST_VISITS.key(), p));
        return Optional.of(answer("journey.first-visits", h, a, budget, List.of(
                "from the city's published journey figures " + h.p.id() + " (free, the same for everybody)",
                "newCustomers: residents whose first visit ever (purchase or check-in) was at the participant and fell"
                        + " in " + h.month + "; each resident counts in one row only",
                "other: participants outside the city's participant catalogue")));
    }

    @Override
    public Optional<InsightAnswer> whenWhere(Asker asker, JourneyRequests.WhenWhere r, Supplier<BudgetStatus> budget) {
        // Only the whole city is published; a participant's own visits (a participant asks with itself) stay ad hoc.
        if (r.participant() != null) return Optional.empty();
        Optional<Held> held = held(asker, r.period(), r.segment(), List.of());
        if (held.isEmpty()) return Optional.empty();
        Held h = held.get();
        PublishedTables a = new PublishedTables(shown, asker);
        for (String slot : JourneyDomain.slots()) {
            a.put("weekdayHour", slot, "visits", h.value(JourneyGroup.WEEKDAY_HOUR.key(), slot));
        }
        Map<String, Long> places = h.group(JourneyGroup.PLACE_VISITS.key());
        for (String place : places.keySet()) {
            a.put("places", place, "visits", h.value(JourneyGroup.PLACE_VISITS.key(), place));
            a.put("places", place, "spendCents", h.value(JourneyGroup.PLACE_SPEND.key(), place));
        }
        return Optional.of(answer("journey.when-where", h, a, budget, List.of(
                "from the city's published journey figures " + h.p.id() + " (free, the same for everybody)",
                "visits: purchases and check-ins, at most the first few per person and month (privacy.json clamps);"
                        + " weekdayHour and places add up to the same total",
                "weekdayHour: row d-hh = ISO weekday d (1 = Monday) and hour hh in the city's time zone",
                "places: the district of the participant visited; other = not known; spendCents: receipt totals cut"
                        + " per person and month; noisy (see docs/PRIVACY.md section 21)")));
    }

    @Override
    public Optional<InsightAnswer> vouchers(Asker asker, JourneyRequests.Vouchers r, Supplier<BudgetStatus> budget) {
        Optional<Held> held = held(asker, r.period(), SegmentFilter.everyone(), List.of());
        if (held.isEmpty()) return Optional.empty();
        Held h = held.get();
        String focus = r.focus();
        if (focus != null && !h.p.isParticipant(focus)) return Optional.empty();
        List<String> rows = focus == null ? withOther(h.p.participants()) : List.of(focus);
        PublishedTables a = new PublishedTables(shown, asker);
        for (String p : rows) {
            a.put("giftSold", p, "amountCents", h.value(JourneyGroup.GIFT_SOLD_CENTS.key(), p));
            a.put("giftSold", p, "vouchers", h.value(JourneyGroup.GIFT_SOLD_COUNT.key(), p));
        }
        for (String p : rows) {
            a.put("giftRedeemed", p, "amountCents", h.value(JourneyGroup.GIFT_REDEEMED_CENTS.key(), p));
            a.put("giftRedeemed", p, "vouchers", h.value(JourneyGroup.GIFT_REDEEMED_COUNT.key(), p));
            a.put("giftRedeemed", p, "lagDays", h.value(JourneyGroup.GIFT_LAG_DAYS.key(), p));
            a.put("giftRedeemed", p, "timedVouchers", h.value(JourneyGroup.GIFT_TIMED.key(), p));
            a.derive("giftRedeemed", p, "meanDaysToRedemption", JourneyDerived.meanDays(
                    a.cell("giftRedeemed", p, "lagDays"), a.cell("giftRedeemed", p, "timedVouchers")));
        }
        // as in the ad-hoc answer (GiftMatrixBound): suppressed links are left out, and the links into a place never
        // add up to more than its own redeemed value as shown; a link scaled below the minimum is left out too
        Map<String, ReleasedCell> links = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : h.group(JourneyGroup.GIFT_MATRIX.key()).entrySet()) {
            String[] x = e.getKey().split("→", 2);
            if (focus != null && !focus.equals(x[0]) && !focus.equals(x[1])) continue;
            links.put(e.getKey(), shown.shown(asker, "amountCents", e.getValue()));
        }
        GiftMatrixBound.shown(links, place -> a.cell("giftRedeemed", place, "amountCents")).forEach((link, value) -> {
            if (!shown.shown(asker, "amountCents", value).suppressed()) a.put("giftMatrix", link, "amountCents", value);
        });
        if (focus == null) {
            for (String employer : withOther(h.p.employers())) {
                a.put("employer", employer, "creditedCents", h.value(JourneyGroup.EMPLOYER_CREDITED.key(), employer));
                a.put("employer", employer, "spentCents", h.value(JourneyGroup.EMPLOYER_SPENT.key(), employer));
                a.derive("employer", employer, "redemptionRate", Derived.share(a.cell("employer", employer, "spentCents"),
                        a.cell("employer", employer, "creditedCents")));
            }
        }
        for (String p : rows) a.put("employerSpent", p, "spentCents", h.value(JourneyGroup.EMPLOYER_SPENT_WHERE.key(), p));
        for (String p : rows) {
            a.put("bonus", p, "earnedPoints", h.value(JourneyGroup.BONUS_EARNED.key(), p));
            a.put("bonus", p, "redeemedPoints", h.value(JourneyGroup.BONUS_REDEEMED.key(), p));
        }
        if (focus == null) {
            for (String total : List.of(JourneyConsistency.GIFT_SOLD_TOTAL, JourneyConsistency.GIFT_REDEEMED_TOTAL,
                    JourneyConsistency.EMPLOYER_CREDITED_TOTAL, JourneyConsistency.EMPLOYER_SPENT_TOTAL)) {
                a.put("summary", "all", total, h.value(JourneyConsistency.SUMMARY, total));
            }
            a.derive("summary", "all", "giftRedemptionRate", Derived.share(a.cell("summary", "all", "giftRedeemedCents"),
                    a.cell("summary", "all", "giftSoldCents")));
            a.derive("summary", "all", "shareSpentLocally", JourneyDerived.shareOfSums(
                    a.cell("summary", "all", "giftRedeemedCents"), a.cell("summary", "all", "employerSpentCents"),
                    a.cell("summary", "all", "giftSoldCents"), a.cell("summary", "all", "employerCreditedCents")));
        }
        List<String> notes = new ArrayList<>(List.of(
                "from the city's published journey figures " + h.p.id() + " (free, the same for everybody)",
                "amounts are cut per person and month before they are summed; vouchers count sales resp. redemptions"
                        + " of at least 500 cents after that cut",
                "meanDaysToRedemption = lagDays / timedVouchers from published figures; null outside 0..366 days",
                "giftMatrix: value redeemed at the target of vouchers sold by the source; suppressed links are left out,"
                        + " and the links into a place never add up to more than its own giftRedeemed value as shown"
                        + " (scaled down in proportion if they would; none into a place whose value is suppressed)",
                "other: participants or employers outside the city's catalogue"));
        if (focus == null) {
            notes.add("summary: the sums of the published tables (gift vouchers sold and redeemed per participant,"
                    + " employer vouchers credited per employer, spent per employer and per place add up to it)");
        }
        return Optional.of(answer("journey.vouchers", h, a, budget, notes));
    }

    // ---- building blocks ----------------------------------------------------------------------------------------

    /** The publication and month a question reads, if the publication holds every figure it asks. */
    private record Held(JourneyPublication p, String month) {
        Long value(String group, String label) {
            return p.value(month, group, label).orElse(0L);
        }

        Map<String, Long> group(String group) {
            return p.figures().get(month).getOrDefault(group, Map.of());
        }
    }

    private Optional<Held> held(Asker asker, JourneyRequests.Period period, SegmentFilter segment, List<String> nodes) {
        if (period.granularity() != Granularity.MONTH) return Optional.empty();
        if (segment != null && !segment.equals(SegmentFilter.everyone())) return Optional.empty();
        Optional<JourneyPublication> latest = journeys.latest(asker.city());
        if (latest.isEmpty()) return Optional.empty();
        JourneyPublication p = latest.get();
        String month = JourneyDomain.monthLabel(period.value());
        if (!p.covers(month)) return Optional.empty();
        for (String n : nodes) if (!p.isParticipant(n)) return Optional.empty();
        return Optional.of(new Held(p, month));
    }

    /** The ordered pairs of the nodes in list order; with a focus only those with it as A (flows: also as B). */
    static List<String[]> pairs(List<String> nodes, String focus, boolean bothDirections) {
        List<String[]> out = new ArrayList<>();
        for (String a : nodes) {
            for (String b : nodes) {
                if (a.equals(b)) continue;
                if (focus == null || a.equals(focus) || (bothDirections && b.equals(focus))) out.add(new String[] {a, b});
            }
        }
        return out;
    }

    private static String sharedCell(JourneyPublication p, String a, String b) {
        return p.participants().indexOf(a) < p.participants().indexOf(b) ? JourneyDomain.pair(a, b) : JourneyDomain.pair(b, a);
    }

    private static List<String> withOther(List<String> labels) {
        List<String> out = new ArrayList<>(labels);
        out.add(JourneyDomain.OTHER);
        return out;
    }

    private InsightAnswer answer(String kind, Held h, PublishedTables a, Supplier<BudgetStatus> budget, List<String> notes) {
        return new InsightAnswer(kind, h.p.id(), a.tables(), List.of("published journey " + h.month + " " + h.p.id()),
                List.of(shown.published(a.cells(), budget.get())), notes,
                AnswerSource.publication(h.p.id(), h.p.publishedAt().toString(), h.p.dataAsOf().toString()));
    }
}
