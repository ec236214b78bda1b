package de.prokommun.insights.query.publication;

import de.prokommun.insights.contract.Measures;
import de.prokommun.insights.query.audience.SqlLiteral;
import de.prokommun.insights.query.journey.JourneyClamps;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The exact figures of a {@link JourneyDomain}, summed by Pinot over the contribution rows the journey and voucher
 * operators write (the same measures, filters and columns as the ad-hoc answers of the journey package), one GROUP
 * BY month per group. Every cell of the domain is returned, zeros included; values outside the domain's lists go to
 * "other" where the table has such a row, and are dropped where it has none (a pair with a participant outside the
 * catalogue). The true figures never leave the publication package unnoised.
 */
final class TrueJourney {

    private static final int MAX_GROUPS = 1_000_000;
    private static final String NULL = TrueCube.NO_VALUE;

    private final CubeSource source;
    private final String contributions;

    TrueJourney(CubeSource source, String contributions) {
        if (!contributions.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new IllegalArgumentException("bad table name " + contributions);
        this.source = source;
        this.contributions = contributions;
    }

    /** Per month (yyyyMM) of the window, per group, its cells. */
    Map<Integer, Map<JourneyGroup, Map<String, Long>>> count(String city, JourneyDomain d) {
        Map<Integer, Map<JourneyGroup, Map<String, Long>>> out = new LinkedHashMap<>();
        for (int m : d.months()) {
            Map<JourneyGroup, Map<String, Long>> groups = new EnumMap<>(JourneyGroup.class);
            for (JourneyGroup g : JourneyGroup.values()) {
                Map<String, Long> cells = new LinkedHashMap<>();
                g.labels(d).forEach(l -> cells.put(l, 0L));
                groups.put(g, cells);
            }
            out.put(m, groups);
        }
        String participants = SqlLiteral.list(d.participants());
        sum(city, d, out, JourneyGroup.CUSTOMERS, Measures.CUSTOMER_MONTH.name(), "count", "participant IN " + participants,
                List.of("participant"), g -> g.get(0));
        sum(city, d, out, JourneyGroup.SHARED, Measures.SHARED_CUSTOMER_MONTH.name(), "count",
                "participant IN " + participants + " AND counterpart IN " + participants,
                List.of("participant", "counterpart"), g -> orderedInCatalogue(d, g.get(0), g.get(1)));
        for (int hours : JourneyDomain.WITHIN.keySet()) {
            sum(city, d, out, JourneyGroup.flows(hours), Measures.FLOW_MONTH.name(), "count", "lagBucket = " + hours
                            + " AND participant IN " + participants + " AND counterpart IN " + participants,
                    List.of("participant", "counterpart"), g -> JourneyDomain.pair(g.get(0), g.get(1)));
        }
        sum(city, d, out, JourneyGroup.FIRST_VISITS, Measures.FIRST_VISIT.name(), "count", null, List.of("participant"), g -> g.get(0));
        sum(city, d, out, JourneyGroup.WEEKDAY_HOUR, Measures.VISIT.name(), "count", null, List.of("weekday", "hour"), TrueJourney::slot);
        sum(city, d, out, JourneyGroup.PLACE_VISITS, Measures.VISIT.name(), "count", null, List.of("place"), g -> g.get(0));
        sum(city, d, out, JourneyGroup.PLACE_SPEND, Measures.VISIT.name(), "amountCents", null, List.of("place"), g -> g.get(0));
        String counted = magnitude("amountCents", JourneyClamps.MIN_COUNTED_VOUCHER_CENTS, Integer.MAX_VALUE);
        sum(city, d, out, JourneyGroup.GIFT_SOLD_CENTS, Measures.GIFT_VOUCHER_SOLD.name(), "amountCents", null, List.of("participant"), g -> g.get(0));
        sum(city, d, out, JourneyGroup.GIFT_SOLD_COUNT, Measures.GIFT_VOUCHER_SOLD.name(), "count", counted, List.of("participant"), g -> g.get(0));
        sum(city, d, out, JourneyGroup.GIFT_REDEEMED_CENTS, Measures.GIFT_VOUCHER_REDEEMED.name(), "amountCents", null,
                List.of("participant"), g -> g.get(0));
        sum(city, d, out, JourneyGroup.GIFT_REDEEMED_COUNT, Measures.GIFT_VOUCHER_REDEEMED.name(), "count", counted,
                List.of("participant"), g -> g.get(0));
        // Redemptions of a known sale within the lag bound (as the ad-hoc answer: a null seller is not timed).
        String timed = counted + " AND " + magnitude("lagDays", 0, JourneyClamps.MAX_COUNTED_LAG_DAYS);
        Function<List<String>, String> withSeller = g -> known(g.get(1)) ? g.get(0) : null;
        sum(city, d, out, JourneyGroup.GIFT_LAG_DAYS, Measures.GIFT_VOUCHER_REDEEMED.name(), "lagDays", timed,
                List.of("participant", "counterpart"), withSeller);
        sum(city, d, out, JourneyGroup.GIFT_TIMED, Measures.GIFT_VOUCHER_REDEEMED.name(), "count", timed,
                List.of("participant", "counterpart"), withSeller);
        sum(city, d, out, JourneyGroup.GIFT_MATRIX, Measures.GIFT_VOUCHER_REDEEMED.name(), "amountCents", null,
                List.of("counterpart", "participant"), g -> JourneyDomain.pair(g.get(0), g.get(1)));
        sum(city, d, out, JourneyGroup.EMPLOYER_CREDITED, Measures.EMPLOYER_VOUCHER_CREDITED.name(), "amountCents", null,
                List.of("counterpart"), g -> g.get(0));
        sum(city, d, out, JourneyGroup.EMPLOYER_SPENT, Measures.EMPLOYER_VOUCHER_SPENT.name(), "amountCents", null,
                List.of("counterpart"), g -> g.get(0));
        sum(city, d, out, JourneyGroup.EMPLOYER_SPENT_WHERE, Measures.EMPLOYER_VOUCHER_SPENT.name(), "amountCents", null,
                List.of("participant"), g -> g.get(0));
        sum(city, d, out, JourneyGroup.BONUS_EARNED, Measures.BONUS_POINTS_EARNED.name(), "quantity", null, List.of("participant"), g -> g.get(0));
        sum(city, d, out, JourneyGroup.BONUS_REDEEMED, Measures.BONUS_POINTS_REDEEMED.name(), "quantity", null, List.of("participant"), g -> g.get(0));
        return out;
    }

    /**
     * SUM(value) per month and the given columns; {@code label} maps a group's values to its cell (null: not a
     * cell of this group, e.g. a redemption of an unknown sale among the timed ones). A label outside the group's
     * cells goes to "other" where the group has it and is dropped otherwise.
     */
    private void sum(String city, JourneyDomain d, Map<Integer, Map<JourneyGroup, Map<String, Long>>> out,
                     JourneyGroup group, String measure, String value, String where, List<String> columns,
                     Function<List<String>, String> label) {
        String keys = "month, " + String.join(", ", columns);
        String sql = "SELECT " + keys + ", SUM(" + value + ") FROM " + contributions + " WHERE city = "
                + SqlLiteral.quote(city) + " AND measure = " + SqlLiteral.quote(measure) + " AND month IN ("
                + d.months().stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")"
                + (where == null ? "" : " AND " + where) + " GROUP BY " + keys + " LIMIT " + MAX_GROUPS;
        source.countsPerGroup(sql, columns.size() + 1).forEach((g, n) -> {
            Integer month = parse(g.get(0));
            if (month == null || !out.containsKey(month)) return;
            String l = label.apply(g.subList(1, g.size()));
            if (l == null) return;
            Map<String, Long> cells = out.get(month).get(group);
            if (cells.containsKey(l)) cells.merge(l, n, Long::sum);
            else if (cells.containsKey(JourneyDomain.OTHER)) cells.merge(JourneyDomain.OTHER, n, Long::sum);
        });
    }

    /** The shared-customers cell of a row: only the row whose A comes first in the catalogue (the other is equal). */
    private static String orderedInCatalogue(JourneyDomain d, String a, String b) {
        int i = d.participants().indexOf(a);
        int j = d.participants().indexOf(b);
        return i >= 0 && j >= 0 && i < j ? JourneyDomain.pair(a, b) : null;
    }

    private static String magnitude(String column, long min, long max) {
        return "((" + column + " >= " + min + " AND " + column + " <= " + max + ") OR (" + column + " <= " + (-min)
                + " AND " + column + " >= " + (-max) + "))";
    }

    private static String slot(List<String> g) {
        Integer d = parse(g.get(0));
        Integer h = parse(g.get(1));
        return d == null || h == null ? null : String.format("%d-%02d", d, h);
    }

    private static boolean known(String v) {
        return v != null && !v.isEmpty() && !NULL.equals(v);
    }

    private static Integer parse(String v) {
        try {
            return v == null ? null : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
