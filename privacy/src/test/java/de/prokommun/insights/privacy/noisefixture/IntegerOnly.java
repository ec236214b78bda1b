package de.prokommun.insights.privacy.noisefixture;

/** Integer arithmetic with a switch, the scanner must accept it. */
public final class IntegerOnly {
    private IntegerOnly() {}

    public static long mix(long a, int b) {
        long r = switch (b) {
            case 1 -> a * 3;
            case 100 -> a / 7;
            case 1000 -> a ^ 5;
            default -> a + b;
        };
        return r + switch (b) { case 0 -> 1; case 1 -> 2; case 2 -> 3; default -> 0; };
    }
}
