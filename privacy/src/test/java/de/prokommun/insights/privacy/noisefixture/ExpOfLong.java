package de.prokommun.insights.privacy.noisefixture;

/** Only long in its own signature, but it calls Math.exp(double). */
public final class ExpOfLong {
    private ExpOfLong() {}

    public static long exp(long x) {
        return (long) Math.exp(x);
    }
}
