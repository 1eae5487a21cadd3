package dev.tollgate.engine;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.pe.ByteRange;
import dev.tollgate.model.Hashes;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Profiles a file in one streaming pass: the bytes are copied chunk by chunk from the (memory-mapped) view into one
 * reused buffer, and each chunk feeds SHA-256, SHA-1, MD5, the byte histogram and the string scanner. Memory use is
 * the chunk plus the bounded string and indicator state, whatever the file's size.
 *
 * <p>The same pass can also give the entropy of some regions of the file (a PE file's sections), so that no later
 * parser reads those bytes again: the bytes of each region are counted in the region's own histogram, and the
 * file's histogram is the sum of the regions' and the rest's.
 */
final class FileProfiler {

    static final int CHUNK = 1 << 20;

    private FileProfiler() {}

    static FileProfile profile(ByteView view) {
        return profile(view, List.of());
    }

    /** Profiles {@code view} and, for each of {@code regions} that overlaps no other, its entropy. */
    static FileProfile profile(ByteView view, List<ByteRange> regions) {
        MessageDigest sha256 = digest("SHA-256");
        MessageDigest sha1 = digest("SHA-1");
        MessageDigest md5 = digest("MD5");
        IndicatorExtractor indicators = new IndicatorExtractor();
        FileNameCollector fileNames = new FileNameCollector();
        MemorySegment segment = view.segment();
        StringScanner strings = new StringScanner(segment, s -> {
            indicators.accept(s);
            fileNames.accept(s);
        });
        long size = segment.byteSize();
        List<ByteRange> counted = disjoint(regions, size);
        long[][] histograms = new long[counted.size() + 1][256]; // one per region, then the rest of the file
        int region = 0;

        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(size, 1))];
        for (long offset = 0; offset < size; offset += chunk.length) {
            int length = (int) Math.min(chunk.length, size - offset);
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, chunk, 0, length);
            sha256.update(chunk, 0, length);
            sha1.update(chunk, 0, length);
            md5.update(chunk, 0, length);
            // Count the chunk piece by piece: the pieces end where a region starts or ends.
            for (int from = 0; from < length; ) {
                long at = offset + from;
                while (region < counted.size() && counted.get(region).end() <= at) {
                    region++;
                }
                boolean inside = region < counted.size() && counted.get(region).contains(at);
                long pieceEnd = region == counted.size()
                        ? offset + length
                        : Math.min(
                                offset + length,
                                inside
                                        ? counted.get(region).end()
                                        : counted.get(region).offset());
                int to = (int) (pieceEnd - offset);
                count(chunk, from, to, histograms[inside ? region : counted.size()]);
                from = to;
            }
            strings.scan(chunk, offset, length);
        }

        long[] whole = new long[256];
        Map<ByteRange, Double> regionEntropy = new HashMap<>();
        for (int i = 0; i < histograms.length; i++) {
            for (int b = 0; b < 256; b++) {
                whole[b] += histograms[i][b];
            }
            if (i < counted.size()) {
                regionEntropy.put(
                        counted.get(i), entropy(histograms[i], counted.get(i).length()));
            }
        }
        HexFormat hex = HexFormat.of();
        Hashes hashes =
                new Hashes(hex.formatHex(sha256.digest()), hex.formatHex(sha1.digest()), hex.formatHex(md5.digest()));
        return new FileProfile(
                size,
                hashes,
                FileTypes.detect(view),
                entropy(whole, size),
                indicators.indicators(),
                indicators.truncated(),
                List.copyOf(fileNames.names()),
                regionEntropy);
    }

    private static void count(byte[] bytes, int from, int to, long[] histogram) {
        for (int i = from; i < to; i++) {
            histogram[bytes[i] & 0xff]++;
        }
    }

    /**
     * The non-empty regions inside the file that overlap no other region, by offset. Overlapping regions (hostile
     * section tables) are left for their reader to count.
     */
    private static List<ByteRange> disjoint(List<ByteRange> regions, long size) {
        List<ByteRange> sorted = new ArrayList<>(regions.stream()
                .filter(r -> !r.isEmpty() && r.end() <= size)
                .distinct()
                .sorted(Comparator.comparingLong(ByteRange::offset))
                .toList());
        List<ByteRange> kept = new ArrayList<>();
        long previousEnd = 0; // the furthest end of the regions before the current one
        for (int i = 0; i < sorted.size(); i++) {
            ByteRange r = sorted.get(i);
            boolean overlapsNext = i + 1 < sorted.size() && sorted.get(i + 1).offset() < r.end();
            if (previousEnd <= r.offset() && !overlapsNext) {
                kept.add(r);
            }
            previousEnd = Math.max(previousEnd, r.end());
        }
        return kept;
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
