package dev.tollgate.formats.archive;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.TruncatedException;
import java.util.Map;
import java.util.Optional;

/**
 * The window sizes that the frames of a zstd stream declare (RFC 8878 3.1.1), read from the frame and block headers
 * without decoding anything: a decoder must keep a frame's whole window of history, so a frame is refused before it
 * is decoded when its window is above {@link Limits#maxZstdWindow()} ({@code archive.limit}) or above what the
 * decoder keeps ({@link #DECODER_MAX_WINDOW}, {@code archive.unsupported}). Either way the stream is not vetted, and
 * says so, instead of failing midway with the decoder's own words or exhausting the heap.
 */
final class ZstdFrames {

    /**
     * The largest window aircompressor's pure-Java decoder handles: it refuses larger ones midway through a frame
     * ("Window size too large (not yet supported)"), and a 2 GiB window overflows its int arithmetic.
     */
    static final long DECODER_MAX_WINDOW = 8L << 20;

    private static final long FRAME_MAGIC = 0xFD2FB528L;
    private static final long SKIPPABLE_MAGIC_MASK = 0xFFFFFFF0L;
    private static final long SKIPPABLE_MAGIC = 0x184D2A50L;

    /** The largest window of any frame and the offset of the first frame that declares it. */
    record Window(long size, long frameOffset) {}

    private ZstdFrames() {}

    /**
     * The largest window declared by the frames of {@code v}, as far as their headers can be followed; empty when no
     * frame header could be read. A stream whose headers break off is left to the decoder, which reports it.
     */
    static Optional<Window> largestWindow(ByteView v) {
        Window largest = null;
        long at = 0;
        try {
            while (v.has(at, 4)) {
                long magic = v.u32(at, "zstd magic");
                if ((magic & SKIPPABLE_MAGIC_MASK) == SKIPPABLE_MAGIC) {
                    at += 8 + v.u32(at + 4, "zstd skippable frame size");
                    continue;
                }
                if (magic != FRAME_MAGIC) {
                    break;
                }
                int descriptor = v.u8(at + 4, "zstd frame header descriptor");
                int contentSizeFlag = descriptor >>> 6;
                boolean singleSegment = (descriptor & 0x20) != 0;
                boolean checksum = (descriptor & 0x04) != 0;
                int dictionaryIdBytes = new int[] {0, 1, 2, 4}[descriptor & 0x03];
                int contentSizeBytes = new int[] {singleSegment ? 1 : 0, 2, 4, 8}[contentSizeFlag];
                long p = at + 5;
                long window = -1;
                if (!singleSegment) {
                    int wd = v.u8(p++, "zstd window descriptor");
                    long base = 1L << (10 + (wd >>> 3));
                    window = base + (base >>> 3) * (wd & 7);
                }
                p += dictionaryIdBytes;
                if (singleSegment) {
                    // A single-segment frame's window is its content size: all of it is history.
                    window = switch (contentSizeBytes) {
                        case 1 -> v.u8(p, "zstd frame content size");
                        case 2 -> v.u16(p, "zstd frame content size") + 256L;
                        case 4 -> v.u32(p, "zstd frame content size");
                        default -> v.u64(p, "zstd frame content size");
                    };
                    if (window < 0) {
                        window = Long.MAX_VALUE;
                    }
                }
                p += contentSizeBytes;
                if (largest == null || window > largest.size()) {
                    largest = new Window(window, at);
                }
                boolean last = false;
                while (!last) {
                    int header = v.u8(p, "zstd block header")
                            | v.u8(p + 1, "zstd block header") << 8
                            | v.u8(p + 2, "zstd block header") << 16;
                    last = (header & 1) != 0;
                    int type = (header >>> 1) & 3;
                    long size = header >>> 3;
                    p += 3 + (type == 1 ? 1 : type == 3 ? 0 : size);
                    if (type == 3) {
                        return Optional.of(largest); // reserved block type: corrupt, the decoder says so
                    }
                }
                at = p + (checksum ? 4 : 0);
            }
        } catch (TruncatedException e) {
            // The headers break off: what was read so far stands; decoding reports the truncation.
        }
        return Optional.ofNullable(largest);
    }

    /**
     * Refuses a stream whose frames need a window above the limit or above what the decoder keeps, before anything is
     * decoded.
     */
    static void check(ByteView stream, Limits limits, String what) throws Refusal {
        Optional<Window> window = largestWindow(stream);
        if (window.isEmpty()) {
            return;
        }
        long size = window.get().size();
        long offset = window.get().frameOffset();
        if (size > limits.maxZstdWindow()) {
            throw new Refusal(
                    Refusal.Scope.CONTAINER,
                    new Problem(
                            ProblemKind.LIMIT,
                            "",
                            what + ": the zstd frame at offset " + offset + " declares a window of " + size
                                    + " bytes, above the maxZstdWindow limit of " + limits.maxZstdWindow()
                                    + " bytes; not decoded, so nothing in it was vetted",
                            Map.of(
                                    "limit",
                                    "maxZstdWindow",
                                    "value",
                                    limits.maxZstdWindow(),
                                    "window",
                                    size,
                                    "frameOffset",
                                    offset)));
        }
        if (size > DECODER_MAX_WINDOW) {
            throw new Refusal(
                    Refusal.Scope.CONTAINER,
                    new Problem(
                            ProblemKind.UNSUPPORTED,
                            "",
                            what + ": the zstd frame at offset " + offset + " declares a window of " + size
                                    + " bytes (zstd --long); Tollgate's zstd decoder keeps at most "
                                    + DECODER_MAX_WINDOW + " bytes of history, so the stream was not decoded and"
                                    + " nothing in it was vetted",
                            Map.of("window", size, "decoderMaxWindow", DECODER_MAX_WINDOW, "frameOffset", offset)));
        }
    }
}
