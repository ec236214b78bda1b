package de.prokommun.insights.query.journey;

import de.prokommun.insights.privacy.SumClamps;

/**
 * The per-person clamps (largest possible contribution of one person to all cells of one release) of the journey
 * figures. A matrix of distinct persons adds at most 1 per cell, so its clamp is the number of cells one person
 * can reach; amounts are cut per person and month upstream, so their clamp is the cut times the months.
 */
public final class JourneyClamps {
    private JourneyClamps() {}

    /**
     * Voucher counts and days to redemption are released only over rows of at least this many cents (after the
     * per-person cut): with the cut, one person has at most voucherCentsPerPersonMonth / this such rows a month.
     */
    public static final long MIN_COUNTED_VOUCHER_CENTS = 500;
    /** Days to redemption are averaged over redemptions within this many days of the sale (a row's lag bound). */
    public static final long MAX_COUNTED_LAG_DAYS = 366;

    /** Shared customers of ordered pairs over n nodes: n·(n−1) cells, or the n−1 of one participant's own row. */
    public static long pairs(int n, boolean ownRow) {
        nodes(n);
        return ownRow ? n - 1L : (long) n * (n - 1);
    }

    /** Flows per month: n·(n−1) ordered pairs, or 2(n−1) flows into and out of one participant; times months. */
    public static long flows(int n, boolean ownRows, int months) {
        nodes(n);
        return (ownRows ? 2L * (n - 1) : (long) n * (n - 1)) * months;
    }

    /** A person can be a customer of all n participants. */
    public static long customers(int n) {
        nodes(n);
        return n;
    }

    public static long visits(SumClamps c, int months) {
        return c.visitsPerPersonMonth() * months;
    }

    public static long spendCents(SumClamps c, int months) {
        return c.spendCentsPerPersonMonth() * months;
    }

    public static long voucherCents(SumClamps c, int months) {
        return c.voucherCentsPerPersonMonth() * months;
    }

    public static long bonusPoints(SumClamps c, int months) {
        return c.bonusPointsPerPersonMonth() * months;
    }

    /** Rows of at least {@link #MIN_COUNTED_VOUCHER_CENTS} one person can have in the months. */
    public static long voucherCount(SumClamps c, int months) {
        return Math.max(1, c.voucherCentsPerPersonMonth() / MIN_COUNTED_VOUCHER_CENTS) * months;
    }

    /** Their days to redemption, each at most {@link #MAX_COUNTED_LAG_DAYS}. */
    public static long voucherLagDays(SumClamps c, int months) {
        return voucherCount(c, months) * MAX_COUNTED_LAG_DAYS;
    }

    private static void nodes(int n) {
        if (n < 1) throw new IllegalArgumentException("a matrix needs nodes: " + n);
    }
}
