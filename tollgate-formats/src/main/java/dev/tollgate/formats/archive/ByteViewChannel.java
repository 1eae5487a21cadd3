package dev.tollgate.formats.archive;

import dev.tollgate.formats.ByteView;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/** A read-only channel over a {@link ByteView}, so that libraries needing random access read mapped memory. */
final class ByteViewChannel implements SeekableByteChannel {

    private final MemorySegment segment;
    private long position;
    private boolean open = true;

    ByteViewChannel(ByteView view) {
        this.segment = view.segment();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        long remaining = segment.byteSize() - position;
        if (remaining <= 0) {
            return -1;
        }
        int n = (int) Math.min(remaining, dst.remaining());
        MemorySegment.ofBuffer(dst).copyFrom(segment.asSlice(position, n));
        dst.position(dst.position() + n);
        position += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position: " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return segment.byteSize();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }

    /** An input stream over the whole view. */
    static InputStream stream(ByteView view) {
        MemorySegment segment = view.segment();
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                return position < segment.byteSize()
                        ? Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, position++))
                        : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                long remaining = segment.byteSize() - position;
                if (len == 0) {
                    return 0;
                }
                if (remaining <= 0) {
                    return -1;
                }
                int n = (int) Math.min(remaining, len);
                MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, position, b, off, n);
                position += n;
                return n;
            }

            @Override
            public long skip(long n) {
                long k = Math.max(0, Math.min(n, segment.byteSize() - position));
                position += k;
                return k;
            }

            @Override
            public int available() {
                return (int) Math.min(Integer.MAX_VALUE, segment.byteSize() - position);
            }
        };
    }
}
