package de.prokommun.insights.validation;

/**
 * Plausibility limits of amounts and counts on the write path (issue 14), declared once for ingestion, the
 * resident API and the importer and documented in docs/EVENTS.md ("Limits"). They bound every figure a sum is
 * formed from, so that no accepted event can overflow a ledger: the largest receipt (500 lines, each at
 * most the line limit) is still capped at {@link #RECEIPT_MAX_CENTS}, and even 10^9 such receipts of one person
 * sum to less than 2^63 cents. Sums over a request are formed with {@link #sum} (exact, never wrapping).
 */
public final class WriteLimits {
    private WriteLimits() {}

    /** One purchase line: at most 1,000,000 € (in cents). */
    public static final long LINE_MAX_CENTS = 100_000_000L;
    /** One receipt, the sum of its lines: at most 10 lines at the line limit, 10,000,000 € (in cents). */
    public static final long RECEIPT_MAX_CENTS = 10 * LINE_MAX_CENTS;
    /** One payment of a receipt, and the sum of a receipt's payments: at most the receipt limit. */
    public static final long PAYMENT_MAX_CENTS = RECEIPT_MAX_CENTS;
    /** Pieces (or units) on one purchase line. */
    public static final int QUANTITY_MAX = 100_000;
    /** Lines of one receipt. */
    public static final int LINES_MAX = 500;
    /** Bonus points earned or redeemed by one event. */
    public static final long POINTS_MAX = 10_000_000L;
    /** One gift voucher sold or redeemed: at most 10,000 € (in cents). */
    public static final long GIFT_VOUCHER_MAX_CENTS = 1_000_000L;
    /** Sachbezug: at most 50 € a month are credited. */
    public static final long EMPLOYER_VOUCHER_CREDIT_MAX_CENTS = 5_000L;
    /** One employer-voucher redemption (a balance of several months): at most the line limit. */
    public static final long EMPLOYER_VOUCHER_REDEEM_MAX_CENTS = LINE_MAX_CENTS;

    /** The exact sum, or an {@link ArithmeticException} naming what was summed — never a wrapped value. */
    public static long sum(long a, long b, String what) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new ArithmeticException(what + " exceeds " + Long.MAX_VALUE + " (overflow)");
        }
    }

    /** The exact product, or an {@link ArithmeticException} naming what was multiplied. */
    public static long product(long a, long b, String what) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new ArithmeticException(what + " exceeds " + Long.MAX_VALUE + " (overflow)");
        }
    }
}
