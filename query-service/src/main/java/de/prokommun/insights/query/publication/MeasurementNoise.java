package de.prokommun.insights.query.publication;

import de.prokommun.insights.privacy.noise.ExactSampler;
import de.prokommun.insights.privacy.noise.KeyedStream;

/**
 * The noise of a publication's measurements: exact discrete Gaussian draws (Canonne–Kamath–Steinke 2020) from one
 * bit stream per slice, keyed by the service's PRF key, the release id and the slice, drawn in the slice's
 * measurement order (marginal after marginal, cells in the domain's value order), each with its marginal's σ².
 * Deterministic, so a publication can be re-derived by whoever holds the key (tests, audit), and unpredictable
 * without it. A release id is published at most once, so the same noise never covers two different data.
 */
final class MeasurementNoise {

    private final byte[] prfKey;
    private final String releaseId;

    MeasurementNoise(byte[] prfKey, String releaseId) {
        this.prfKey = prfKey.clone();
        this.releaseId = releaseId;
    }

    ExactSampler slice(String slice) {
        return new ExactSampler(KeyedStream.derive(prfKey, "publication", releaseId, slice));
    }
}
