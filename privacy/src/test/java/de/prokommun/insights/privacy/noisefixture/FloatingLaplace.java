package de.prokommun.insights.privacy.noisefixture;

/** The textbook floating-point Laplace sampler the noise package must never contain (Mironov 2012). */
public final class FloatingLaplace {
    private FloatingLaplace() {}

    public static long sample(long u, long scaleTimesThousand) {
        double uniform = (u & 0xFFFFF) / (double) 0x100000 - 0.5;
        double scale = scaleTimesThousand / 1000.0;
        return Math.round(-scale * Math.signum(uniform) * Math.log(1 - 2 * Math.abs(uniform)));
    }
}
