package de.prokommun.insights.flink.journey;

import de.prokommun.insights.contract.Measures.Names;
import de.prokommun.insights.flink.city.PersonMonthClamps;
import de.prokommun.insights.flink.ledger.LedgerRow;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The rows a person's live facts should have contributed to one scope (a month, a year, the first visit): a pure
 * function, so the ledger only has to diff it against what it emitted. Rows have no segment (the ledger adds the
 * segment of the moment a row is first emitted). Keys identify a row with its content: two rows with the same key
 * are the same row.
 */
public final class JourneyRows {
    private JourneyRows() {}

    private static final long DAY_MILLIS = 24L * 3600 * 1000;
    private static final long HOUR_MILLIS = 3600L * 1000;

    /**
     * Key → row of every row the scope should hold, in a deterministic order. A month scope names one family of
     * rows ("m202603:flow"); without a family ("m202603") it holds them all.
     */
    public static Map<String, LedgerRow> desired(String scope, Facts facts, ZoneId zone, PersonMonthClamps clamps) {
        return desired(JourneyScope.of(scope), facts, zone, clamps);
    }

    static Map<String, LedgerRow> desired(JourneyScope scope, Facts facts, ZoneId zone, PersonMonthClamps clamps) {
        Map<String, LedgerRow> rows = new LinkedHashMap<>();
        switch (scope.kind()) {
            case FIRST -> firstVisit(facts, zone, rows);
            case YEAR -> {
                int year = scope.period();
                return yearRows(year, participantsBought(facts.purchases, f -> Periods.year(f.eventTime, zone) == year), zone);
            }
            case MONTH -> {
                int month = scope.period();
                if (scope.isMonthOf(Periods.VISIT)) visits(facts, month, zone, clamps, rows);
                if (scope.isMonthOf(Periods.SHARED)) {
                    sharedCustomers(Names.SHARED_CUSTOMER_MONTH, participantsBought(facts.purchases,
                            f -> Periods.month(f.eventTime, zone) == month), Periods.startOfMonth(month, zone), zone, rows);
                }
                if (scope.isMonthOf(Periods.FLOW)) flows(facts, month, zone, rows);
                if (scope.isMonthOf(Periods.ENGAGED)) engagements(facts, month, zone, rows);
                if (scope.isMonthOf(Periods.EMPLOYER)) employerVouchers(facts, month, zone, clamps, rows);
                if (scope.isMonthOf(Periods.BONUS)) {
                    bonusPoints(Names.BONUS_POINTS_EARNED, facts.earned, month, zone, clamps, rows);
                    bonusPoints(Names.BONUS_POINTS_REDEEMED, facts.redeemed, month, zone, clamps, rows);
                }
            }
        }
        return rows;
    }

    /** The rows of a year scope: the shared-customer pairs of the participants the person bought from that year. */
    public static Map<String, LedgerRow> yearRows(int year, TreeSet<String> participants, ZoneId zone) {
        return yearRows(year, participants, zone, null);
    }

    /** The year's pairs; with {@code only}, just the pairs that participant is part of. */
    static Map<String, LedgerRow> yearRows(int year, TreeSet<String> participants, ZoneId zone, String only) {
        Map<String, LedgerRow> rows = new LinkedHashMap<>();
        sharedCustomers(Names.SHARED_CUSTOMER_YEAR, participants, Periods.startOfYear(year, zone), zone, rows, only);
        return rows;
    }

    /**
     * The rows a fact that was just added brings into one of its month scopes, so that the scope's rows after the
     * addition are its rows before and these ({@code desired(after) = desired(before) ∪ appended}); null when the
     * scope has no such shortcut and must be recomputed. The shared-customer pairs only grow when a purchase is added
     * (any purchase: the pairs are a set); visits, flows and bonus rows only when the fact is {@code last}: after
     * every fact of its kind the scope depends on (else it shifts what the facts after it contribute: their cut
     * amounts, the flow it splits). A recomputation built the text of every row of the month per event.
     */
    static Map<String, LedgerRow> appended(String scope, Facts facts, JourneyFact fact, boolean last, ZoneId zone,
                                           PersonMonthClamps clamps) {
        return appended(JourneyScope.of(scope), facts, fact, last, zone, clamps);
    }

    static Map<String, LedgerRow> appended(JourneyScope scope, Facts facts, JourneyFact fact, boolean last, ZoneId zone,
                                           PersonMonthClamps clamps) {
        if (scope.kind() != JourneyScope.Kind.MONTH || scope.family() == null) return null;
        int month = scope.period();
        Map<String, LedgerRow> rows = new LinkedHashMap<>();
        switch (scope.family()) {
            case Periods.SHARED -> {
                if (!fact.isPurchase()) return null;
                sharedCustomers(Names.SHARED_CUSTOMER_MONTH, participantsBought(facts.purchases,
                        f -> Periods.month(f.eventTime, zone) == month), Periods.startOfMonth(month, zone), zone, rows,
                        fact.participant);
            }
            case Periods.VISIT -> {
                if (!last || !fact.isVisit()) return null;
                visits(facts, month, zone, clamps, rows, fact);
            }
            case Periods.FLOW -> {
                if (!last || !fact.isVisit()) return null;
                flows(facts, month, zone, rows, fact);
            }
            case Periods.BONUS -> {
                if (!last) return null;
                if (JourneyFact.BONUS_EARNED.equals(fact.kind)) {
                    bonusPoints(Names.BONUS_POINTS_EARNED, facts.earned, month, zone, clamps, rows, fact);
                } else if (JourneyFact.BONUS_REDEEMED.equals(fact.kind)) {
                    bonusPoints(Names.BONUS_POINTS_REDEEMED, facts.redeemed, month, zone, clamps, rows, fact);
                } else {
                    return null;
                }
            }
            default -> {
                return null;
            }
        }
        return rows;
    }

    /** Whether {@code f} is {@code only}, or there is no {@code only} (every fact's rows are wanted). */
    private static boolean wanted(JourneyFact f, JourneyFact only) {
        return only == null || f == only || f.kind.equals(only.kind) && JourneyFact.ORDER.compare(f, only) == 0;
    }

    /** min(value, what is left of the cap), never below 0. */
    static long cut(long value, long used, long cap) {
        return Math.max(0L, Math.min(value, cap - used));
    }

    // ---- visits -----------------------------------------------------------------------------------------------

    static void visits(Facts facts, int month, ZoneId zone, PersonMonthClamps clamps, Map<String, LedgerRow> rows) {
        visits(facts, month, zone, clamps, rows, null);
    }

    /** The month's visit rows; with {@code only}, just that visit's (the ones before it still cut its amount). */
    static void visits(Facts facts, int month, ZoneId zone, PersonMonthClamps clamps, Map<String, LedgerRow> rows,
                       JourneyFact only) {
        long counted = 0;
        long spent = 0;
        for (JourneyFact v : facts.visits) {
            if (Periods.month(v.eventTime, zone) != month) continue;
            if (counted++ >= clamps.visits()) break;
            long amount = v.isPurchase() ? cut(v.amountCents, spent, clamps.spendCents()) : 0L;
            spent += amount;
            if (!wanted(v, only)) continue;
            LedgerRow row = LedgerRow.of(Names.VISIT, v.eventTime, zone, v.participant, v.category, null);
            ZonedDateTime at = Instant.ofEpochMilli(v.eventTime).atZone(zone);
            row.weekday = at.getDayOfWeek().getValue();
            row.hour = at.getHour();
            row.place = v.place;
            row.count = 1;
            row.amountCents = amount;
            put(rows, identity(v), row);
        }
    }

    static void firstVisit(Facts facts, ZoneId zone, Map<String, LedgerRow> rows) {
        if (facts.visits.isEmpty()) return;
        JourneyFact first = facts.visits.get(0);
        LedgerRow row = LedgerRow.of(Names.FIRST_VISIT, first.eventTime, zone, first.participant, null, null);
        row.count = 1;
        put(rows, identity(first), row);
    }

    // ---- shared customers -----------------------------------------------------------------------------------

    static TreeSet<String> participantsBought(List<JourneyFact> purchases, java.util.function.Predicate<JourneyFact> inPeriod) {
        TreeSet<String> participants = new TreeSet<>();
        for (JourneyFact p : purchases) {
            if (inPeriod.test(p)) participants.add(p.participant);
        }
        return participants;
    }

    static void sharedCustomers(String measure, TreeSet<String> participants, long periodStart, ZoneId zone,
                                Map<String, LedgerRow> rows) {
        sharedCustomers(measure, participants, periodStart, zone, rows, null);
    }

    /** The pairs of the participants; with {@code only}, just the pairs that participant is part of. */
    static void sharedCustomers(String measure, TreeSet<String> participants, long periodStart, ZoneId zone,
                                Map<String, LedgerRow> rows, String only) {
        for (String a : participants) {
            for (String b : participants) {
                if (a.equals(b) || only != null && !only.equals(a) && !only.equals(b)) continue;
                LedgerRow row = LedgerRow.of(measure, periodStart, zone, a, null, null);
                row.counterpart = b;
                row.count = 1;
                put(rows, "", row);
            }
        }
    }

    // ---- flows --------------------------------------------------------------------------------------------------

    /** Consecutive visits v1 → v2 with v2 in the month: one distinct row per (from, to, bucket) and level. */
    static void flows(Facts facts, int month, ZoneId zone, Map<String, LedgerRow> rows) {
        flows(facts, month, zone, rows, null);
    }

    /** The month's flow rows; with {@code only}, just those of the flow into that visit. */
    static void flows(Facts facts, int month, ZoneId zone, Map<String, LedgerRow> rows, JourneyFact only) {
        long monthStart = Periods.startOfMonth(month, zone);
        for (int i = 1; i < facts.visits.size(); i++) {
            JourneyFact to = facts.visits.get(i);
            if (!wanted(to, only) || Periods.month(to.eventTime, zone) != month) continue;
            JourneyFact from = facts.visits.get(i - 1);
            long gap = to.eventTime - from.eventTime;
            for (int bucket : JourneyMeasures.LAG_BUCKET_HOURS) {
                if (gap > bucket * HOUR_MILLIS) continue;
                if (!from.participant.equals(to.participant)) {
                    put(rows, "", flow(Names.FLOW_MONTH, monthStart, zone, from.participant, null, to.participant, bucket));
                }
                if (!from.category.equals(to.category)) {
                    put(rows, "", flow(Names.CATEGORY_FLOW_MONTH, monthStart, zone, null, from.category, to.category, bucket));
                }
            }
        }
    }

    private static LedgerRow flow(String measure, long monthStart, ZoneId zone, String participant, String category,
                                  String counterpart, int bucket) {
        LedgerRow row = LedgerRow.of(measure, monthStart, zone, participant, category, null);
        row.counterpart = counterpart;
        row.lagBucket = bucket;
        row.count = 1;
        return row;
    }

    // ---- engagement ---------------------------------------------------------------------------------------------

    static void engagements(Facts facts, int month, ZoneId zone, Map<String, LedgerRow> rows) {
        long monthStart = Periods.startOfMonth(month, zone);
        for (JourneyFact e : facts.engagements) {
            if (Periods.month(e.eventTime, zone) != month) continue;
            put(rows, "", distinct(Names.ENGAGED_MONTH, monthStart, zone, e.participant));
            if (boughtWithinWindow(facts, e)) {
                put(rows, "", distinct(Names.ENGAGED_BUYER_MONTH, monthStart, zone, e.participant));
            }
        }
    }

    /** A live purchase at the engaged participant later than the engagement, by at most 30 × 24 hours. */
    static boolean boughtWithinWindow(Facts facts, JourneyFact engagement) {
        for (JourneyFact p : facts.purchases) {
            long after = p.eventTime - engagement.eventTime;
            if (after > 0 && after <= JourneyMeasures.ENGAGEMENT_WINDOW_MILLIS
                    && p.participant.equals(engagement.participant)) {
                return true;
            }
        }
        return false;
    }

    private static LedgerRow distinct(String measure, long monthStart, ZoneId zone, String participant) {
        LedgerRow row = LedgerRow.of(measure, monthStart, zone, participant, null, null);
        row.count = 1;
        return row;
    }

    // ---- vouchers and bonus points ------------------------------------------------------------------------------

    static void employerVouchers(Facts facts, int month, ZoneId zone, PersonMonthClamps clamps,
                                 Map<String, LedgerRow> rows) {
        long credited = 0;
        for (JourneyFact c : facts.credits) {
            if (Periods.month(c.eventTime, zone) != month) continue;
            long amount = cut(c.amountCents, credited, clamps.voucherCents());
            credited += amount;
            LedgerRow row = LedgerRow.of(Names.EMPLOYER_VOUCHER_CREDITED, c.eventTime, zone, c.participant, null, null);
            row.counterpart = c.counterpart;
            row.count = 1;
            row.amountCents = amount;
            put(rows, identity(c), row);
        }
        long spent = 0;
        for (JourneyFact r : facts.redemptions) {
            if (Periods.month(r.eventTime, zone) != month) continue;
            long amount = cut(r.amountCents, spent, clamps.voucherCents());
            spent += amount;
            JourneyFact credit = facts.creditAtOrBefore(r.eventTime);
            LedgerRow row = LedgerRow.of(Names.EMPLOYER_VOUCHER_SPENT, r.eventTime, zone, r.participant, null, null);
            row.counterpart = credit == null ? null : credit.counterpart;
            row.lagDays = credit == null ? 0 : Math.floorDiv(r.eventTime - credit.eventTime, DAY_MILLIS);
            row.count = 1;
            row.amountCents = amount;
            put(rows, identity(r), row);
        }
    }

    static void bonusPoints(String measure, List<JourneyFact> events, int month, ZoneId zone, PersonMonthClamps clamps,
                            Map<String, LedgerRow> rows) {
        bonusPoints(measure, events, month, zone, clamps, rows, null);
    }

    /** The month's rows of one kind of bonus event; with {@code only}, just that event's. */
    static void bonusPoints(String measure, List<JourneyFact> events, int month, ZoneId zone, PersonMonthClamps clamps,
                            Map<String, LedgerRow> rows, JourneyFact only) {
        long used = 0;
        for (JourneyFact b : events) {
            if (Periods.month(b.eventTime, zone) != month) continue;
            long points = cut(b.points, used, clamps.bonusPoints());
            used += points;
            if (!wanted(b, only)) continue;
            LedgerRow row = LedgerRow.of(measure, b.eventTime, zone, b.participant, null, null);
            row.count = 1;
            row.quantity = points;
            put(rows, identity(b), row);
        }
    }

    // ---- keys ---------------------------------------------------------------------------------------------------

    /** Distinguishes rows of equal content that stem from different facts (two equal visits are two rows). */
    static String identity(JourneyFact f) {
        return RowText.escape(f.kind) + RowText.FIELD + RowText.escape(String.valueOf(f.participant)) + RowText.FIELD
                + RowText.escape(String.valueOf(f.id));
    }

    private static void put(Map<String, LedgerRow> rows, String identity, LedgerRow row) {
        rows.putIfAbsent(identity + RowText.KEY + contentOf(row), row);
    }

    /** Everything of the row but its segment. */
    static String contentOf(LedgerRow r) {
        return RowText.contentOf(r);
    }

}
