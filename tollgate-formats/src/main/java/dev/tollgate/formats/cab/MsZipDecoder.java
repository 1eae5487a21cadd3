package dev.tollgate.formats.cab;

import dev.tollgate.formats.FormatException;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * MSZIP ([MS-MCI] 2.2): each CFDATA block is the signature {@code CK} and a raw deflate (RFC 1951) stream whose
 * back-references may reach into the previous block's output, so the previous 32 KiB are set as a preset dictionary.
 */
final class MsZipDecoder implements BlockDecoder {

    private static final int MAX_BLOCK = 32 * 1024;

    private final Inflater inflater = new Inflater(true);
    private byte[] history = new byte[0];

    @Override
    public byte[] decode(byte[] block, int uncompressedSize, long offset) throws FormatException {
        if (block.length < 2 || block[0] != 'C' || block[1] != 'K') {
            throw new FormatException(offset, "MSZIP block does not start with 'CK'");
        }
        if (uncompressedSize > MAX_BLOCK) {
            throw new FormatException(offset, "MSZIP block declares " + uncompressedSize + " bytes, more than 32768");
        }
        inflater.reset();
        if (history.length > 0) {
            inflater.setDictionary(history);
        }
        inflater.setInput(block, 2, block.length - 2);
        byte[] out = new byte[uncompressedSize];
        int produced = 0;
        try {
            while (produced < uncompressedSize) {
                int n = inflater.inflate(out, produced, uncompressedSize - produced);
                if (n == 0) {
                    if (inflater.finished() || inflater.needsInput() || inflater.needsDictionary()) {
                        break;
                    }
                }
                produced += n;
            }
        } catch (DataFormatException e) {
            throw new FormatException(offset, "MSZIP block is corrupt: " + e.getMessage(), e);
        }
        if (produced != uncompressedSize) {
            throw new FormatException(
                    offset, "MSZIP block produced " + produced + " bytes but declares " + uncompressedSize);
        }
        history = out.length >= MAX_BLOCK ? out : concatTail(history, out);
        return out;
    }

    private static byte[] concatTail(byte[] previous, byte[] next) {
        int keep = Math.min(previous.length, MAX_BLOCK - next.length);
        byte[] joined = Arrays.copyOfRange(previous, previous.length - keep, previous.length + next.length);
        System.arraycopy(next, 0, joined, keep, next.length);
        return joined;
    }
}
