package de.prokommun.insights.flink.journey;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of months (yyyyMM) as a bitset (a Flink POJO): one bit per month from {@link #base}, 64 months a word.
 * Its size depends on the span of months, 8 bytes per 5⅓ years, not on how many facts the months hold, and a
 * neighbour query is a scan of a few words.
 */
public class MonthSet {
    /** Month number (year · 12 + month − 1) of bit 0 of word 0; a multiple of 64. */
    public int base;
    public long[] words = new long[0];

    public MonthSet() {}

    static int number(int yyyyMM) {
        return (yyyyMM / 100) * 12 + (yyyyMM % 100) - 1;
    }

    static int yyyyMM(int number) {
        return (number / 12) * 100 + number % 12 + 1;
    }

    boolean contains(int yyyyMM) {
        int bit = number(yyyyMM) - base;
        return bit >= 0 && bit < words.length * 64 && (words[bit >>> 6] & (1L << bit)) != 0;
    }

    /** Adds or removes the month (copies the words: a state value is not changed in place). */
    /** Sets or clears the month; whether that changed the set (the index is written only when it changed). */
    boolean set(int yyyyMM, boolean present) {
        int n = number(yyyyMM);
        if (present == contains(yyyyMM)) return false;
        if (present) cover(n);
        long[] w = words.clone();
        int bit = n - base;
        if (present) w[bit >>> 6] |= 1L << bit;
        else w[bit >>> 6] &= ~(1L << bit);
        words = trimmed(w);
        return true;
    }

    boolean isEmpty() {
        return words.length == 0;
    }

    /** The earliest month, or null. */
    Integer first() {
        return after(Integer.MIN_VALUE);
    }

    /** The latest month before {@code yyyyMM}, or null. */
    Integer before(int yyyyMM) {
        for (int bit = Math.min(number(yyyyMM) - base - 1, words.length * 64 - 1); bit >= 0; bit--) {
            if ((words[bit >>> 6] & (1L << bit)) != 0) return yyyyMM(base + bit);
        }
        return null;
    }

    /** The earliest month after {@code yyyyMM}, or null. */
    Integer after(int yyyyMM) {
        int from = yyyyMM == Integer.MIN_VALUE ? 0 : Math.max(0, number(yyyyMM) - base + 1);
        for (int bit = from; bit < words.length * 64; bit++) {
            if ((words[bit >>> 6] & (1L << bit)) != 0) return yyyyMM(base + bit);
        }
        return null;
    }

    /** The months in [from, to] (to null: no upper end), ascending. */
    List<Integer> between(int from, Integer to) {
        List<Integer> months = new ArrayList<>();
        int last = to == null ? words.length * 64 - 1 : Math.min(words.length * 64 - 1, number(to) - base);
        for (int bit = Math.max(0, number(from) - base); bit <= last; bit++) {
            if ((words[bit >>> 6] & (1L << bit)) != 0) months.add(yyyyMM(base + bit));
        }
        return months;
    }

    /** Widens the words so that month number {@code n} has a bit. */
    private void cover(int n) {
        if (words.length == 0) {
            base = Math.floorDiv(n, 64) * 64;
            words = new long[1];
            return;
        }
        if (n < base) {
            int newBase = Math.floorDiv(n, 64) * 64;
            long[] w = new long[words.length + (base - newBase) / 64];
            System.arraycopy(words, 0, w, (base - newBase) / 64, words.length);
            words = w;
            base = newBase;
        } else if (n - base >= words.length * 64) {
            words = Arrays.copyOf(words, (n - base) / 64 + 1);
        }
    }

    /** Without empty words at either end (an empty set has none). */
    private long[] trimmed(long[] w) {
        int from = 0;
        int to = w.length;
        while (from < to && w[from] == 0) from++;
        while (to > from && w[to - 1] == 0) to--;
        if (from == 0 && to == w.length) return w;
        base += from * 64;
        return Arrays.copyOfRange(w, from, to);
    }
}
