package dev.tollgate.formats.cab;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import java.io.IOException;
import java.io.InputStream;

/** A folder's uncompressed stream, decoding one CFDATA block ([MS-CAB] 2.4) at a time. */
final class FolderStream extends InputStream {

    private static final int CFDATA = 8;

    private final ByteView view;
    private final CabFile.Folder folder;
    private final int reserve;
    private final BlockDecoder decoder;
    private long next;
    private int blocksRead;
    private byte[] current = new byte[0];
    private int position;

    FolderStream(ByteView view, CabFile.Folder folder, int reserve, BlockDecoder decoder) {
        this.view = view;
        this.folder = folder;
        this.reserve = reserve;
        this.decoder = decoder;
        this.next = folder.firstBlock();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : Byte.toUnsignedInt(one[0]);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (position == current.length) {
            if (blocksRead == folder.blockCount()) {
                return -1;
            }
            try {
                nextBlock();
            } catch (FormatException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    private void nextBlock() throws FormatException {
        long at = next;
        long stored = view.u32(at, "CFDATA.csum");
        int compressed = view.u16(at + 4, "CFDATA.cbData");
        int uncompressed = view.u16(at + 6, "CFDATA.cbUncomp");
        long dataAt = at + CFDATA + reserve;
        byte[] data = view.bytes(dataAt, compressed, "CFDATA.ab");
        if (stored != 0) {
            long sum = checksum(data, data.length, 0);
            sum = checksum(view.bytes(at + 4, 4, "CFDATA sizes"), 4, sum);
            if (sum != stored) {
                throw new FormatException(
                        at,
                        "CFDATA block " + blocksRead + " of folder " + folder.index()
                                + " has checksum " + Long.toHexString(stored) + " but its content sums to "
                                + Long.toHexString(sum));
            }
        }
        current = decoder.decode(data, uncompressed, dataAt);
        position = 0;
        next = dataAt + compressed;
        blocksRead++;
    }

    /** The CFDATA checksum ([MS-CAB] 2.4, "csum"): XOR of little-endian 32-bit words, the tail packed high first. */
    static long checksum(byte[] data, int length, long seed) {
        long sum = seed;
        int words = length / 4;
        int i = 0;
        for (int w = 0; w < words; w++, i += 4) {
            sum ^= (data[i] & 0xFFL)
                    | (data[i + 1] & 0xFFL) << 8
                    | (data[i + 2] & 0xFFL) << 16
                    | (data[i + 3] & 0xFFL) << 24;
        }
        long tail = 0;
        switch (length % 4) {
            case 3 -> tail = (data[i] & 0xFFL) << 16 | (data[i + 1] & 0xFFL) << 8 | (data[i + 2] & 0xFFL);
            case 2 -> tail = (data[i] & 0xFFL) << 8 | (data[i + 1] & 0xFFL);
            case 1 -> tail = data[i] & 0xFFL;
            default -> tail = 0;
        }
        return (sum ^ tail) & 0xFFFFFFFFL;
    }
}
