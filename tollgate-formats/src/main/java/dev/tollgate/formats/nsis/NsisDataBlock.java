package dev.tollgate.formats.nsis;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import dev.tollgate.formats.TruncatedException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The data block of an NSIS installer: the installed files, the uninstaller's data and the plug-ins, one item after
 * another. Entries ({@code File}) address an item by its offset from the start of the block.
 *
 * <pre>
 * item = length (4 bytes, little-endian), then length bytes
 *   non-solid: the items follow the compressed header in the file; the top bit of length says the item is one
 *              compressed stream of (length &amp; 0x7FFFFFFF) bytes, else it is stored
 *   solid:     the items follow the header inside the one decompressed stream; they are never compressed again
 * </pre>
 *
 * The block ends where the installer data ends (before its CRC) in a non-solid installer, and where the decompressed
 * stream ends in a solid one: exactly at an item boundary, or the installer is truncated.
 */
public final class NsisDataBlock {

    private static final long COMPRESSED = 0x80000000L;
    private static final long LENGTH_MASK = 0x7FFFFFFFL;

    private final NsisInstaller installer;

    NsisDataBlock(NsisInstaller installer) {
        this.installer = installer;
    }

    /**
     * A cursor over the items, front to back. Every decompressed stream is passed through {@code meter} before it
     * is read (the unpacker charges expanded bytes to its budget there).
     */
    public Cursor open(UnaryOperator<InputStream> meter) throws IOException, FormatException {
        return installer.solid() ? new SolidCursor(meter) : new FileCursor(meter);
    }

    /** Items, one at a time: {@link #next()}, then at most one of {@link #stored()} or {@link #content()}. */
    public interface Cursor extends Closeable {

        /** Moves to the next item, skipping what was not read of this one; false after the last item. */
        boolean next() throws IOException, FormatException;

        /** The item's offset from the start of the data block. */
        long offset();

        /** The item's decoded size when it is known before decoding (a stored or solid item), else -1. */
        long size();

        /** True when the item is a compressed stream of its own (non-solid installers). */
        boolean compressed();

        /** A stored item of a non-solid installer, as a view on the installer's bytes (no copy). */
        Optional<ByteView> stored();

        /** The item's decoded bytes. */
        InputStream content() throws IOException, FormatException;
    }

    /** Non-solid: items are read from the installer's bytes, each compressed stream decoded on its own. */
    private final class FileCursor implements Cursor {
        private final UnaryOperator<InputStream> meter;
        private final ByteView file;
        private final long start;
        private final long end;
        private long offset = -1;
        private long length;
        private boolean compressed;
        private InputStream open;

        FileCursor(UnaryOperator<InputStream> meter) {
            this.meter = meter;
            this.file = installer.file();
            this.start = installer.dataStart();
            this.end = installer.firstHeader().payloadEnd();
        }

        @Override
        public boolean next() throws IOException, FormatException {
            closeOpen();
            long next = offset < 0 ? 0 : offset + 4 + length;
            long at = start + next;
            if (at == end) {
                return false;
            }
            if (end - at < 4) {
                throw new TruncatedException(file.base() + at, 4, end - at, "NSIS data block item length");
            }
            long raw = file.u32(at, "NSIS data block item length");
            offset = next;
            compressed = (raw & COMPRESSED) != 0;
            length = raw & LENGTH_MASK;
            if (end - at - 4 < length) {
                throw new TruncatedException(
                        file.base() + at + 4,
                        length,
                        end - at - 4,
                        "NSIS data block item at offset " + next + (compressed ? " (compressed)" : ""));
            }
            return true;
        }

        @Override
        public long offset() {
            return offset;
        }

        @Override
        public long size() {
            return compressed ? -1 : length;
        }

        @Override
        public boolean compressed() {
            return compressed;
        }

        @Override
        public Optional<ByteView> stored() {
            if (compressed) {
                return Optional.empty();
            }
            try {
                return Optional.of(file.slice(start + offset + 4, length, "NSIS stored item"));
            } catch (TruncatedException e) {
                throw new IllegalStateException("checked in next()", e);
            }
        }

        @Override
        public InputStream content() throws IOException, FormatException {
            closeOpen();
            ByteView bytes = file.slice(start + offset + 4, length, "NSIS data block item");
            InputStream raw = new ViewStream(bytes);
            if (!compressed) {
                open = raw;
                return raw;
            }
            NsisCompression method = installer.itemCompression(bytes);
            open = meter.apply(method.open(raw, file.base() + start + offset + 4, -1));
            return open;
        }

        private void closeOpen() throws IOException {
            if (open != null) {
                InputStream o = open;
                open = null;
                o.close();
            }
        }

        @Override
        public void close() throws IOException {
            closeOpen();
        }
    }

    /** Solid: items follow the header in the one decompressed stream. */
    private final class SolidCursor implements Cursor {
        private final InputStream stream;
        private long position;
        private long offset = -1;
        private long length;
        private long remaining;

        SolidCursor(UnaryOperator<InputStream> meter) throws IOException, FormatException {
            NsisFirstHeader first = installer.firstHeader();
            ByteView payload = installer
                    .file()
                    .slice(first.payloadStart(), first.payloadEnd() - first.payloadStart(), "NSIS solid stream");
            InputStream decoded = installer
                    .compression()
                    .orElseThrow()
                    .open(new ViewStream(payload), installer.file().base() + first.payloadStart(), -1);
            this.stream = meter.apply(decoded);
            long header = 4 + first.headerLength();
            stream.skipNBytes(header);
        }

        @Override
        public boolean next() throws IOException, FormatException {
            skipRest();
            byte[] raw = stream.readNBytes(4);
            if (raw.length == 0) {
                return false;
            }
            long at = position;
            if (raw.length < 4) {
                throw new EOFException("NSIS solid stream ends inside the length of the item at data offset " + at);
            }
            long value = Integer.toUnsignedLong(
                    (raw[0] & 0xFF) | (raw[1] & 0xFF) << 8 | (raw[2] & 0xFF) << 16 | (raw[3] & 0xFF) << 24);
            if ((value & COMPRESSED) != 0) {
                throw new FormatException(
                        installer.firstHeader().payloadStart(),
                        "NSIS solid data item at offset " + at + " has length 0x" + Long.toHexString(value)
                                + ": the top bit is never set in a solid installer");
            }
            position += 4;
            offset = at;
            length = value;
            remaining = value;
            return true;
        }

        private void skipRest() throws IOException {
            while (remaining > 0) {
                long skipped = stream.skip(remaining);
                if (skipped <= 0) {
                    if (stream.read() < 0) {
                        throw new EOFException("NSIS solid stream ends " + remaining + " bytes before the end of"
                                + " the item at data offset " + offset);
                    }
                    skipped = 1;
                }
                remaining -= skipped;
                position += skipped;
            }
        }

        @Override
        public long offset() {
            return offset;
        }

        @Override
        public long size() {
            return length;
        }

        @Override
        public boolean compressed() {
            return false;
        }

        @Override
        public Optional<ByteView> stored() {
            return Optional.empty();
        }

        @Override
        public InputStream content() {
            return new InputStream() {
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
                    int n = stream.read(b, off, (int) Math.min(len, remaining));
                    if (n < 0) {
                        throw new EOFException("NSIS solid stream ends " + remaining + " bytes before the end of"
                                + " the item at data offset " + offset);
                    }
                    remaining -= n;
                    position += n;
                    return n;
                }
            };
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    /** A stream over a view, without copying it whole. */
    static final class ViewStream extends InputStream {
        private static final int CHUNK = 64 * 1024;
        private final ByteView view;
        private long position;

        ViewStream(ByteView view) {
            this.view = view;
        }

        @Override
        public int read() {
            // The LZMA and bzip2 decoders read their input byte by byte.
            if (position >= view.size()) {
                return -1;
            }
            return Byte.toUnsignedInt(view.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, position++));
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= view.size()) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, CHUNK), view.size() - position);
            java.lang.foreign.MemorySegment.copy(
                    view.segment(), java.lang.foreign.ValueLayout.JAVA_BYTE, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, view.size() - position));
            position += skipped;
            return skipped;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, view.size() - position);
        }
    }
}
