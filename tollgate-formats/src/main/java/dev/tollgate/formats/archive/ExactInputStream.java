package dev.tollgate.formats.archive;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Exactly {@code length} bytes of an underlying stream; ending early is an {@link EOFException}, not a short file. */
final class ExactInputStream extends InputStream {

    private final InputStream in;
    private final String what;
    private long remaining;

    ExactInputStream(InputStream in, long length, String what) {
        this.in = in;
        this.remaining = length;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : Byte.toUnsignedInt(one[0]);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException(what + " ends " + remaining + " bytes early");
        }
        remaining -= n;
        return n;
    }
}
