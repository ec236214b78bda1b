package de.prokommun.insights.privacy.noise;

/** A source of uniformly distributed bits. Implementations used for released noise must be cryptographically secure. */
public interface RandomBits {

    /** 64 uniformly distributed bits. */
    long nextLong();
}
