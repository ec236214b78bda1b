package de.prokommun.insights.flink.journey;

/**
 * A 64-bit fingerprint of a journey row: its scope and its key (identity and content, {@link JourneyRows}). The
 * ledger keeps fingerprints instead of row texts to diff a scope, so two different rows of a person collide only by
 * chance: with n rows standing the chance is about n² / 2⁶⁵ (about 10⁻¹² for the 7,000 rows of three years of a
 * regular shopper) — a collision would leave one row unemitted. Every character is mixed through a 64-bit multiply
 * and rotate, the result through MurmurHash3's finaliser, so similar keys (the same row a day later) spread.
 */
final class RowFingerprints {
    private static final long M = 0x9E3779B97F4A7C15L;

    private RowFingerprints() {}

    static long of(String scope, String key) {
        long h = 0x243F6A8885A308D3L;
        h = mix(h, scope);
        h = step(h, 0x1F0000 | scope.length());
        h = mix(h, key);
        h = step(h, 0x2F0000 | key.length());
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static long mix(long h, String s) {
        for (int i = 0; i < s.length(); i++) h = step(h, s.charAt(i));
        return h;
    }

    private static long step(long h, int value) {
        return Long.rotateLeft((h ^ value) * M, 29);
    }
}
