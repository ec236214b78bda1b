package de.prokommun.insights.privacy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Objects;

/**
 * Business confidentiality of participants (statistical disclosure control of business statistics, Eurostat's
 * handbook, τ-ARGUS): a figure built from participants' business (sales, receipts, redemptions) is sensitive when
 * fewer than {@code minParticipants} participants contribute to it, or when its {@code n} largest contributors
 * make up more than {@code kPercent} % of its total ((n, k) dominance). A sensitive figure must not reach a
 * competitor: it is published only coarser or to the contributor itself. Differential privacy protects
 * residents, not this: a single seller's category total is its own sales figure, noisy or not.
 *
 * @param n               how many of the largest contributors are compared with the total, ≥ 1
 * @param kPercent        the share in percent they may make up at most, 0 < k ≤ 100 (read exactly)
 * @param minParticipants the fewest participants with a positive contribution a figure needs, ≥ 1
 * @param operatorExempt  whether the city's operator may read sensitive figures (the city's contract with its
 *                        participants says so); participants never may, except the only seller of a figure
 */
public record DominanceRule(int n, BigDecimal kPercent, int minParticipants, boolean operatorExempt) {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public DominanceRule {
        Checks.notNull(kPercent, "dominance.kPercent");
        if (n < 1) throw new IllegalArgumentException("dominance.n must be at least 1: " + n);
        if (kPercent.signum() <= 0 || kPercent.compareTo(HUNDRED) > 0)
            throw new IllegalArgumentException("dominance.kPercent must be > 0 and <= 100: " + kPercent);
        if (minParticipants < 1) throw new IllegalArgumentException("dominance.minParticipants must be at least 1: " + minParticipants);
    }

    /** The rule without an exemption for the operator. */
    public DominanceRule(int n, BigDecimal kPercent, int minParticipants) {
        this(n, kPercent, minParticipants, false);
    }

    /**
     * Whether a figure with these contributions per participant (e.g. cents of sales; 0 for a participant without
     * any) must be kept from competitors.
     *
     * @throws IllegalArgumentException for a negative contribution (net retractions per participant first)
     */
    public <P> boolean isSensitive(Map<P, Long> contributions) {
        Objects.requireNonNull(contributions, "contributions");
        long[] top = new long[n]; // descending
        int contributors = 0;
        BigInteger total = BigInteger.ZERO;
        for (Map.Entry<P, Long> e : contributions.entrySet()) {
            long v = Objects.requireNonNull(e.getValue(), "contribution of " + e.getKey());
            if (v < 0) throw new IllegalArgumentException("contribution of " + e.getKey() + " is negative: " + v);
            if (v == 0) continue;
            contributors++;
            total = total.add(BigInteger.valueOf(v));
            for (int i = 0; i < n; i++) {
                if (v > top[i]) {
                    System.arraycopy(top, i, top, i + 1, n - i - 1);
                    top[i] = v;
                    break;
                }
            }
        }
        if (contributors < minParticipants) return true;
        BigInteger largest = BigInteger.ZERO;
        for (long v : top) largest = largest.add(BigInteger.valueOf(v));
        // 100 · largest > k · total, exactly.
        return new BigDecimal(largest).multiply(HUNDRED).compareTo(kPercent.multiply(new BigDecimal(total))) > 0;
    }
}
