package de.prokommun.insights.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Exact arithmetic and the headroom the limits leave: property-style over extreme numbers. */
class WriteLimitsTest {

    private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    @Test
    void theIssuesOverflowIsAnErrorNotMinus2To63() {
        assertThatThrownBy(() -> WriteLimits.sum(Long.MAX_VALUE, 1, "the receipt total"))
                .isInstanceOf(ArithmeticException.class).hasMessageContaining("the receipt total").hasMessageContaining("overflow");
    }

    @Test
    void sumsAndProductsAreExactOrFailForExtremeValues() {
        Random random = new Random(14);
        long[] extremes = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1,
                1L << 53, (1L << 53) + 1, 1L << 62, Integer.MAX_VALUE, Integer.MIN_VALUE, WriteLimits.RECEIPT_MAX_CENTS};
        for (int run = 0; run < 20_000; run++) {
            long a = run % 3 == 0 ? extremes[random.nextInt(extremes.length)] : random.nextLong() >> random.nextInt(64);
            long b = run % 5 == 0 ? extremes[random.nextInt(extremes.length)] : random.nextLong() >> random.nextInt(64);
            BigInteger sum = BigInteger.valueOf(a).add(BigInteger.valueOf(b));
            BigInteger product = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
            if (sum.compareTo(MIN) >= 0 && sum.compareTo(MAX) <= 0) {
                assertThat(WriteLimits.sum(a, b, "x")).isEqualTo(sum.longValueExact());
            } else {
                assertThatThrownBy(() -> WriteLimits.sum(a, b, "x")).isInstanceOf(ArithmeticException.class);
            }
            if (product.compareTo(MIN) >= 0 && product.compareTo(MAX) <= 0) {
                assertThat(WriteLimits.product(a, b, "x")).isEqualTo(product.longValueExact());
            } else {
                assertThatThrownBy(() -> WriteLimits.product(a, b, "x")).isInstanceOf(ArithmeticException.class);
            }
        }
    }

    @Test
    void theLimitsLeaveALedgerBillionsOfMaximalReceiptsOfHeadroom() {
        BigInteger worstReceipt = BigInteger.valueOf(WriteLimits.LINES_MAX).multiply(BigInteger.valueOf(WriteLimits.LINE_MAX_CENTS));
        assertThat(worstReceipt).isGreaterThan(BigInteger.valueOf(WriteLimits.RECEIPT_MAX_CENTS)); // the receipt cap binds
        assertThat(BigInteger.valueOf(WriteLimits.RECEIPT_MAX_CENTS).multiply(BigInteger.TEN.pow(9))).isLessThan(MAX);
        assertThat((long) WriteLimits.QUANTITY_MAX * WriteLimits.LINES_MAX).isLessThan(Integer.MAX_VALUE);
        assertThat(WriteLimits.PAYMENT_MAX_CENTS).isEqualTo(WriteLimits.RECEIPT_MAX_CENTS);
    }
}
