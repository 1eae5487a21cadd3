package dev.tollgate.engine;

import dev.tollgate.formats.ByteView;
import dev.tollgate.model.Hashes;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Profiles a file in one streaming pass: the bytes are copied chunk by chunk from the (memory-mapped) view into one
 * reused buffer, and each chunk feeds SHA-256, SHA-1, MD5, the byte histogram and the string scanner. Memory use is
 * the chunk plus the bounded string and indicator state, whatever the file's size.
 */
final class FileProfiler {

    static final int CHUNK = 1 << 20;

    private FileProfiler() {}

    static FileProfile profile(ByteView view) {
        MessageDigest sha256 = digest("SHA-256");
        MessageDigest sha1 = digest("SHA-1");
        MessageDigest md5 = digest("MD5");
        long[] histogram = new long[256];
        IndicatorExtractor indicators = new IndicatorExtractor();
        StringScanner strings = new StringScanner(indicators::accept);

        MemorySegment segment = view.segment();
        long size = segment.byteSize();
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(size, 1))];
        for (long offset = 0; offset < size; offset += chunk.length) {
            int length = (int) Math.min(chunk.length, size - offset);
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, chunk, 0, length);
            sha256.update(chunk, 0, length);
            sha1.update(chunk, 0, length);
            md5.update(chunk, 0, length);
            for (int i = 0; i < length; i++) {
                histogram[chunk[i] & 0xff]++;
            }
            strings.feed(chunk, 0, length);
        }
        strings.finish();

        HexFormat hex = HexFormat.of();
        Hashes hashes =
                new Hashes(hex.formatHex(sha256.digest()), hex.formatHex(sha1.digest()), hex.formatHex(md5.digest()));
        return new FileProfile(
                size,
                hashes,
                FileTypes.detect(view),
                entropy(histogram, size),
                indicators.indicators(),
                indicators.truncated());
    }

    /** Shannon entropy in bits per byte: 0 for constant data, 8 for uniformly random bytes. */
    static double entropy(long[] histogram, long total) {
        if (total == 0) {
            return 0;
        }
        double entropy = 0;
        for (long count : histogram) {
            if (count > 0) {
                double p = (double) count / total;
                entropy -= p * (Math.log(p) / Math.log(2));
            }
        }
        return Math.clamp(entropy, 0.0, 8.0);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e); // every JDK must provide these three
        }
    }
}
