package de.prokommun.insights.privacy.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A deterministic cryptographically secure bit stream: AES-256 in counter mode, keyed with
 * HMAC-SHA256(prfKey, seed material). The same key and material always give the same stream, which is what
 * makes a repeated question get the same noise; without the key the stream is indistinguishable from random.
 * Each material (question, asker, data version, cell) has its own AES key, so a fixed all-zero counter start
 * never repeats a key stream across cells.
 */
public final class KeyedStream implements RandomBits {

    private static final int BUFFER_BYTES = 512;
    private static final byte[] ZEROS = new byte[BUFFER_BYTES];

    private final Cipher cipher;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int position = BUFFER_BYTES;

    private KeyedStream(byte[] aesKey) {
        try {
            cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(new byte[16]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR is not available in this JVM", e);
        } finally {
            Arrays.fill(aesKey, (byte) 0);
        }
    }

    /**
     * The stream for this seed material under this key. The parts are length-prefixed before they enter the
     * HMAC, so ("ab","c") and ("a","bc") give different streams.
     */
    public static KeyedStream derive(byte[] prfKey, String... parts) {
        Objects.requireNonNull(prfKey, "prfKey");
        return new KeyedStream(hmac(prfKey, parts));
    }

    /** HMAC-SHA256 of the length-prefixed UTF-8 parts. */
    public static byte[] hmac(byte[] prfKey, String... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(prfKey, "HmacSHA256"));
            for (String part : parts) {
                byte[] bytes = Objects.requireNonNull(part, "seed part").getBytes(StandardCharsets.UTF_8);
                mac.update(new byte[] {
                        (byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16), (byte) (bytes.length >>> 8), (byte) bytes.length });
                mac.update(bytes);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    @Override
    public long nextLong() {
        if (position + 8 > BUFFER_BYTES) refill();
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (buffer[position++] & 0xFF);
        return v;
    }

    private void refill() {
        try {
            int written = cipher.update(ZEROS, 0, BUFFER_BYTES, buffer, 0);
            if (written != BUFFER_BYTES) throw new IllegalStateException("AES/CTR returned " + written + " bytes");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR failed", e);
        }
        position = 0;
    }
}
