package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.noise.ExactSampler;
import de.prokommun.insights.privacy.noise.KeyedStream;
import de.prokommun.insights.privacy.noise.Rational;

/**
 * The noise of a publication's measured counts: one exact discrete Gaussian draw per node (Canonne–Kamath–Steinke
 * 2020), drawn in the hierarchy's fixed pre-order from one bit stream per slice, keyed by the service's PRF key, the
 * release id and the slice (one stream per slice rather than per cell: deriving a key per node cost most of the
 * publishing time, and the draws of one stream are independent all the same). Deterministic, so a
 * publication can be re-derived by whoever holds the key (tests), and unpredictable without it. A release id is
 * published at most once (the city budget charges it once, and the publisher never re-releases an id it holds
 * no copy of), so the same noise never covers two different data.
 */
final class CellNoise {

    private final byte[] prfKey;
    private final String releaseId;
    private final Rational sigmaSquared;

    CellNoise(byte[] prfKey, String releaseId, Rational sigmaSquared) {
        this.prfKey = prfKey.clone();
        this.releaseId = releaseId;
        this.sigmaSquared = sigmaSquared;
    }

    /** The noise of one slice's nodes, one draw per call in the hierarchy's pre-order. */
    java.util.function.LongSupplier slice(String slice) {
        ExactSampler sampler = new ExactSampler(KeyedStream.derive(prfKey, "publication", releaseId, slice));
        return () -> sampler.discreteGaussian(sigmaSquared);
    }
}
