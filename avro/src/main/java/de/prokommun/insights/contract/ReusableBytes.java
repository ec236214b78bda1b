package de.prokommun.insights.contract;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer for encoding one record after another on one thread: unlike {@link
 * java.io.ByteArrayOutputStream} it takes no lock per write and is reset rather than allocated per record.
 */
final class ReusableBytes extends OutputStream {
    private byte[] buf = new byte[512];
    private int size;

    void reset() {
        size = 0;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    @Override
    public void write(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    private void ensure(int more) {
        if (size + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
}
