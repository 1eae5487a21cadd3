package dev.tollgate.engine;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.pe.ByteRange;
import dev.tollgate.model.FileType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Profiles a file in one streaming pass: the bytes are copied chunk by chunk from the (memory-mapped) view into one
 * reused buffer, and each chunk feeds SHA-256, SHA-1, MD5 and the byte histogram ({@link FileDigests}, which count the
 * bytes as they hash them, and may mark the dots and colons) and the string scanner. Memory use is
 * the chunk plus the bounded string and indicator state, whatever the file's size.
 *
 * <p>The same pass can also give the entropy of some regions of the file (a PE file's sections), so that no later
 * parser reads those bytes again: the bytes of each region are counted in the region's own histogram, and the
 * file's histogram is the sum of the regions' and the rest's.
 */
final class FileProfiler {

    static final int CHUNK = 1 << 20;

    /**
     * Mapped files at least this large have their pages dropped as they are read. A smaller file's pages stay mapped:
     * its parsers read parts of it again (PE headers, import and export tables), and dropping them meant faulting
     * them back in; keeping them costs at most this much resident memory per scan thread.
     */
    static final long UNLOAD_MIN = 32L << 20;

    /** The page size the kernel maps files in; a multiple of it is always safe to drop. */
    private static final long PAGE = 4096;

    /**
     * Each scan thread's chunk window, kept between files: a new 1 MiB array per file cost its zeroing (about 1% of a
     * scan's CPU). Only full-size windows are kept.
     */
    private static final ThreadLocal<byte[]> WINDOW = new ThreadLocal<>();

    private FileProfiler() {}

    static FileProfile profile(ByteView view) {
        return profile(view, List.of());
    }

    /** Profiles {@code view} and, for each of {@code regions} that overlaps no other, its entropy. */
    static FileProfile profile(ByteView view, List<ByteRange> regions) {
        MemorySegment segment = view.segment();
        long size = segment.byteSize();
        List<ByteRange> counted = disjoint(regions, size);
        // Each chunk is copied with the margins the string scanner needs to see around it.
        int margin = StringScanner.MARGIN;
        byte[] window = WINDOW.get();
        WINDOW.remove(); // a profile nested in this one (none today) gets a window of its own
        int windowSize = (int) Math.min(CHUNK + 2L * margin, Math.max(size, 1));
        if (window == null || window.length < windowSize) {
            window = new byte[windowSize];
        }
        try (Pass pass = new Pass(size, counted)) {
            return profile(view, segment, pass, window);
        } finally {
            if (window.length == CHUNK + 2 * margin) {
                WINDOW.set(window);
            }
        }
    }

    /** The pass over {@code segment} (the bytes of {@code view}), chunk by chunk through {@code window}. */
    private static FileProfile profile(ByteView view, MemorySegment segment, Pass pass, byte[] window) {
        long size = segment.byteSize();
        int margin = StringScanner.MARGIN;
        long unloaded = 0;
        for (long offset = 0; offset < size; offset += CHUNK) {
            int length = (int) Math.min(CHUNK, size - offset);
            long windowStart = Math.max(0, offset - margin);
            int windowLength = (int) (Math.min(size, offset + length + margin) - windowStart);
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, windowStart, window, 0, windowLength);
            pass.chunk(window, windowStart, windowLength, offset, length);
            if (segment.isMapped() && size >= UNLOAD_MIN) {
                // The pages read are dropped from this process (the page cache keeps them), so that a large mapped
                // file does not stay resident while the scan goes on: RSS is bounded by what is being read.
                long done = (offset + length - margin) & -PAGE;
                if (done > unloaded) {
                    segment.asSlice(unloaded, done - unloaded).unload();
                    unloaded = done;
                }
            }
        }
        return pass.result(FileTypes.detect(view));
    }

    /** The state of one profiling pass over one file. */
    private static final class Pass implements AutoCloseable {
        private final long size;
        private final FileDigests digests = FileDigests.create();
        private final List<ByteRange> regions;
        private final long[][] histograms; // one per region, then the rest of the file
        private int region;
        private final StringScanner strings;
        private final long[] marks; // null when the digests do not mark punctuation
        private final IndicatorExtractor indicators = new IndicatorExtractor();
        private final FileNameCollector fileNames = new FileNameCollector();

        Pass(long size, List<ByteRange> regions) {
            this.size = size;
            this.regions = regions;
            this.histograms = new long[regions.size() + 1][256];
            this.strings = new StringScanner(size);
            // The digests mark the chunk's dots and colons as they hash it, one bit per byte, when they can.
            this.marks = digests.marksPunctuation()
                    ? new long[(int) ((Math.min(size, CHUNK) + Long.SIZE - 1) / Long.SIZE)]
                    : null;
        }

        /** Takes in the file's bytes {@code [offset, offset + length)}, held in a window of the file. */
        void chunk(byte[] window, long windowStart, int windowLength, long offset, int length) {
            int at = (int) (offset - windowStart);
            StringScanner.Sink sink = (text, from, count) -> {
                indicators.accept(text, from, count);
                fileNames.accept(text, from, count);
            };
            if (marks != null) {
                Arrays.fill(marks, 0, (length + Long.SIZE - 1) / Long.SIZE, 0L);
                digestAndCount(window, at, offset, length);
                strings.scan(window, windowStart, windowLength, offset, offset + length, marks, sink);
            } else {
                digestAndCount(window, at, offset, length);
                strings.scan(window, windowStart, windowLength, offset, offset + length, sink);
            }
        }

        /**
         * Feeds the bytes to the digests piece by piece, each piece counted in its own histogram: the pieces end where
         * a region starts or ends.
         */
        private void digestAndCount(byte[] window, int at, long offset, int length) {
            long end = offset + length;
            for (long from = offset; from < end; ) {
                while (region < regions.size() && regions.get(region).end() <= from) {
                    region++;
                }
                boolean inside = region < regions.size() && regions.get(region).contains(from);
                long to = region == regions.size()
                        ? end
                        : Math.min(
                                end,
                                inside
                                        ? regions.get(region).end()
                                        : regions.get(region).offset());
                digests.update(
                        window,
                        at + (int) (from - offset),
                        (int) (to - from),
                        histograms[inside ? region : regions.size()],
                        marks,
                        from - offset);
                from = to;
            }
        }

        /**
         * The profile of the bytes taken in. Its loops are in methods of their own: inlined here, with the digests'
         * final blocks, they made this once-per-file method a 21 KB compilation that C2 did twice per scan.
         */
        FileProfile result(FileType type) {
            return new FileProfile(
                    size,
                    digests.finish(),
                    type,
                    entropy(sum(histograms), size),
                    indicators.indicators(),
                    indicators.truncated(),
                    List.copyOf(fileNames.names()),
                    regionEntropy());
        }

        private Map<ByteRange, Double> regionEntropy() {
            Map<ByteRange, Double> byRegion = HashMap.newHashMap(regions.size());
            for (int i = 0; i < regions.size(); i++) {
                byRegion.put(
                        regions.get(i), entropy(histograms[i], regions.get(i).length()));
            }
            return byRegion;
        }

        @Override
        public void close() {
            digests.close();
        }
    }

    /** The histogram of all the bytes counted in {@code histograms}. */
    private static long[] sum(long[][] histograms) {
        long[] whole = new long[256];
        for (long[] histogram : histograms) {
            for (int b = 0; b < 256; b++) {
                whole[b] += histogram[b];
            }
        }
        return whole;
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
}
