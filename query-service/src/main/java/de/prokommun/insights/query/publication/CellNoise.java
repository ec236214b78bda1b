package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.noise.ExactSampler;
import de.prokommun.insights.privacy.noise.KeyedStream;
import de.prokommun.insights.privacy.noise.Rational;

/**
 * The noise of a publication's cells: one exact discrete Gaussian draw per cell (Canonne–Kamath–Steinke 2020),
 * from a bit stream keyed by the service's PRF key and the release id, slice and cell. Deterministic, so a
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

    long draw(String slice, CellKey cell) {
        KeyedStream bits = KeyedStream.derive(prfKey, "publication", releaseId, slice, cell.ageBand(), cell.gender(),
                cell.district(), cell.householdType());
        return new ExactSampler(bits).discreteGaussian(sigmaSquared);
    }
}
