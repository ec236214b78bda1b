package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.SumClamps;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one journey/voucher release publishes, fixed before anything is counted (labels never come from the
 * data): per month of the window the participant-level cross-shopping (customers per catalogue participant, shared
 * customers per unordered pair), the flows per ordered pair for each {@code within} bucket, the first visits per
 * participant, the when-where tables (visits per weekday × hour, visits and spend per district) and the voucher
 * tables. Rows named {@link #OTHER} pool participants, employers or districts outside the city's lists, as in the
 * ad-hoc answers.
 *
 * <p>The window is the current month and the {@code months - 1} before it; every release publishes the whole window
 * again (a snapshot), so its cost does not depend on what was published before.
 *
 * @param participants the city's catalogue participants in catalogue order (the rows and nodes)
 * @param employers    the catalogue's employers
 * @param districts    the city's districts
 * @param months       yyyyMM, oldest first
 */
public record JourneyDomain(List<String> participants, List<String> employers, List<String> districts,
                            List<Integer> months, SumClamps clamps) {

    public static final String OTHER = "other";
    /** The lag buckets of {@code flow_month} in hours, and their API names (JourneyRequests.Within). */
    public static final Map<Integer, String> WITHIN = withinBuckets();

    public JourneyDomain {
        participants = List.copyOf(participants);
        employers = List.copyOf(employers);
        districts = List.copyOf(districts);
        months = List.copyOf(months);
        if (months.isEmpty()) throw new IllegalArgumentException("a journey publication needs at least one month");
    }

    public static JourneyDomain of(List<String> participants, List<String> employers, List<String> districts,
                                   YearMonth current, int months, SumClamps clamps) {
        if (months < 1) throw new IllegalArgumentException("query.publication.journey.months must be at least 1: " + months);
        List<Integer> list = new ArrayList<>();
        for (int i = months - 1; i >= 0; i--) {
            YearMonth m = current.minusMonths(i);
            list.add(m.getYear() * 100 + m.getMonthValue());
        }
        return new JourneyDomain(participants, employers, districts, list, clamps);
    }

    /** Nothing to publish per participant: the city has no catalogue. */
    public boolean isEmpty() {
        return participants.isEmpty();
    }

    /** The participants and "other": the rows of every per-participant table. */
    public List<String> participantsAndOther() {
        return withOther(participants);
    }

    public List<String> employersAndOther() {
        return withOther(employers);
    }

    public List<String> districtsAndOther() {
        return withOther(districts);
    }

    /** The unordered pairs A|B, A before B in catalogue order: one shared-customers cell each. */
    public List<String> unorderedPairs() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < participants.size(); i++) {
            for (int j = i + 1; j < participants.size(); j++) out.add(pair(participants.get(i), participants.get(j)));
        }
        return out;
    }

    /** The ordered pairs A→B, A ≠ B: one flow cell each. */
    public List<String> orderedPairs() {
        List<String> out = new ArrayList<>();
        for (String a : participants) for (String b : participants) if (!a.equals(b)) out.add(pair(a, b));
        return out;
    }

    /** Seller→redeemer over the catalogue, the same participant included: the gift-voucher matrix. */
    public List<String> matrixPairs() {
        List<String> out = new ArrayList<>();
        for (String a : participants) for (String b : participants) out.add(pair(a, b));
        return out;
    }

    /** The 168 weekday × hour slots "d-hh" (ISO weekday 1 = Monday). */
    public static List<String> slots() {
        List<String> slots = new ArrayList<>();
        for (int d = 1; d <= 7; d++) for (int h = 0; h < 24; h++) slots.add(String.format("%d-%02d", d, h));
        return slots;
    }

    public static String pair(String a, String b) {
        return a + "→" + b;
    }

    /** The shared-customers cell of an ordered pair: the same for A→B and B→A. */
    public String sharedCell(String a, String b) {
        return participants.indexOf(a) < participants.indexOf(b) ? pair(a, b) : pair(b, a);
    }

    public static String monthLabel(int yyyymm) {
        return PurchaseDomain.monthLabel(yyyymm);
    }

    private static List<String> withOther(List<String> labels) {
        List<String> out = new ArrayList<>(labels);
        out.add(OTHER);
        return out;
    }

    private static Map<Integer, String> withinBuckets() {
        Map<Integer, String> m = new LinkedHashMap<>();
        m.put(1, "1h");
        m.put(24, "24h");
        m.put(168, "7d");
        m.put(720, "30d");
        return java.util.Collections.unmodifiableMap(m);
    }
}
