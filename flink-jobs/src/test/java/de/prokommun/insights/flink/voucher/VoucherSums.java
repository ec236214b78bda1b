package de.prokommun.insights.flink.voucher;

import de.prokommun.insights.events.ContributionDelta;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Sums of gift-voucher rows per key: [count, amountCents, lagDays]; keys that sum to zero are left out. */
final class VoucherSums {
    private VoucherSums() {}

    /** What the dashboards group by: measure, period, participant, counterpart, and the segment columns but personas. */
    static String figureKey(ContributionDelta d) {
        return String.join("|", d.getCity(), d.getMeasure(), String.valueOf(d.getDay()), String.valueOf(d.getMonth()),
                String.valueOf(d.getYear()), String.valueOf(d.getParticipant()), String.valueOf(d.getCounterpart()),
                String.valueOf(d.getCategory()), String.valueOf(d.getAgeBand()), String.valueOf(d.getDistrict()),
                d.getHouseholdType());
    }

    /** Every column, personas and gender included. */
    static String fullKey(ContributionDelta d) {
        return figureKey(d) + "|" + d.getGender() + "|" + d.getPersonas() + "|" + d.getWeekday() + "|" + d.getHour()
                + "|" + d.getPlace() + "|" + d.getLagBucket() + "|" + d.getQuantity();
    }

    static Map<String, List<Long>> sums(Collection<ContributionDelta> deltas, Function<ContributionDelta, String> key) {
        Map<String, long[]> sums = new TreeMap<>();
        for (ContributionDelta d : deltas) {
            if (!isVoucherRow(d)) continue;
            long[] s = sums.computeIfAbsent(key.apply(d), k -> new long[3]);
            s[0] += d.getCount();
            s[1] += d.getAmountCents();
            s[2] += d.getLagDays();
        }
        Map<String, List<Long>> out = new TreeMap<>();
        sums.forEach((k, s) -> {
            if (s[0] != 0 || s[1] != 0 || s[2] != 0) out.put(k, Arrays.asList(s[0], s[1], s[2]));
        });
        return out;
    }

    static Map<String, List<Long>> figures(Collection<ContributionDelta> deltas) {
        return sums(deltas, VoucherSums::figureKey);
    }

    static boolean isVoucherRow(ContributionDelta d) {
        return VoucherRole.isMeasure(d.getMeasure());
    }
}
