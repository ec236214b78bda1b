package de.prokommun.insights.privacy.noise;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A non-negative rational number p/q in lowest terms. The samplers take every parameter as a rational so
 * that no step of drawing noise needs a floating-point number (Mironov 2012 shows how floating-point
 * noise leaks the true value through the gaps and rounding of its representation).
 */
public record Rational(BigInteger numerator, BigInteger denominator) implements Comparable<Rational> {

    public static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
    public static final Rational ONE = new Rational(BigInteger.ONE, BigInteger.ONE);

    public Rational {
        Objects.requireNonNull(numerator, "numerator");
        Objects.requireNonNull(denominator, "denominator");
        if (denominator.signum() <= 0) throw new IllegalArgumentException("denominator must be positive: " + denominator);
        if (numerator.signum() < 0) throw new IllegalArgumentException("numerator must not be negative: " + numerator);
        BigInteger g = numerator.gcd(denominator);
        if (g.signum() > 0 && !g.equals(BigInteger.ONE)) {
            numerator = numerator.divide(g);
            denominator = denominator.divide(g);
        }
    }

    public static Rational of(long numerator, long denominator) {
        return new Rational(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
    }

    public static Rational of(long integer) {
        return of(integer, 1);
    }

    /** The exact value of a decimal (e.g. 0.15 becomes 3/20); the decimal must not be negative. */
    public static Rational of(BigDecimal decimal) {
        Objects.requireNonNull(decimal, "decimal");
        if (decimal.signum() < 0) throw new IllegalArgumentException("decimal must not be negative: " + decimal);
        BigDecimal d = decimal.stripTrailingZeros();
        if (d.scale() <= 0) return new Rational(d.toBigIntegerExact(), BigInteger.ONE);
        return new Rational(d.unscaledValue(), BigInteger.TEN.pow(d.scale()));
    }

    public Rational multiply(Rational other) {
        return new Rational(numerator.multiply(other.numerator), denominator.multiply(other.denominator));
    }

    public Rational multiply(BigInteger factor) {
        return new Rational(numerator.multiply(factor), denominator);
    }

    public Rational divide(Rational other) {
        if (other.numerator.signum() == 0) throw new ArithmeticException("division by zero");
        return new Rational(numerator.multiply(other.denominator), denominator.multiply(other.numerator));
    }

    public boolean isZero() {
        return numerator.signum() == 0;
    }

    /** floor(p/q). */
    public BigInteger floor() {
        return numerator.divide(denominator);
    }

    /** The fractional part p/q - floor(p/q). */
    public Rational fraction() {
        return new Rational(numerator.mod(denominator), denominator);
    }

    /** floor(sqrt(p/q)), exactly: floor(sqrt(x)) = isqrt(floor(x)) for every real x >= 0. */
    public BigInteger floorSqrt() {
        return floor().sqrt();
    }

    @Override
    public int compareTo(Rational o) {
        return numerator.multiply(o.denominator).compareTo(o.numerator.multiply(denominator));
    }

    @Override
    public String toString() {
        return numerator + "/" + denominator;
    }
}
