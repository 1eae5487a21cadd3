package dev.tollgate.formats.cab;

import dev.tollgate.formats.FormatException;

/**
 * LZX as cabinets use it ([MS-CAB] 2.2 typeCompress 3, the format of [MS-PATCH] "LZX DELTA Compression and
 * Decompression" 2.2 without reference data). A folder is one LZX stream whose output is cut into frames of 32 KiB,
 * one per CFDATA block; each block's compressed bits start on a fresh 16-bit word, while the window, the trees, the
 * repeated offsets and the current LZX block carry over from frame to frame.
 *
 * <p>The stream starts with the E8 translation header (1 bit, then the 32-bit translation size when it is set). Then
 * come LZX blocks: a 3-bit type (1 verbatim, 2 aligned offset, 3 uncompressed) and a 24-bit output size. Verbatim and
 * aligned blocks carry a main tree (literals, and a position slot with a length header per match) and a length tree,
 * each sent as deltas from the previous block's lengths through a pretree; an aligned block first sends an 8-symbol
 * tree for the low 3 bits of long match offsets. An uncompressed block aligns to 16 bits, stores R0, R1 and R2, then
 * the bytes themselves, padded to an even count.
 *
 * <p>Hostile input: every code is checked to be complete, every match to stay inside the bytes already decoded, its
 * block and its frame, and every read to stay inside the CFDATA block; memory is the window (at most 2 MiB) and the
 * fixed tables.
 */
final class LzxDecoder implements BlockDecoder {

    /** Output bytes per CFDATA block (the last one may be shorter). */
    static final int FRAME = 32 * 1024;

    static final int MIN_WINDOW_BITS = 15;
    static final int MAX_WINDOW_BITS = 21;

    private static final int VERBATIM = 1;
    private static final int ALIGNED = 2;
    private static final int UNCOMPRESSED = 3;

    private static final int CHARS = 256;
    private static final int MIN_MATCH = 2;
    private static final int PRIMARY_LENGTHS = 7;
    private static final int SECONDARY_LENGTHS = 249;
    private static final int ALIGNED_SYMBOLS = 8;
    private static final int PRETREE_SYMBOLS = 20;
    /** E8 translation applies to the first 32768 frames (1 GiB) only. */
    private static final int TRANSLATED_FRAMES = 32768;

    private static final int[] EXTRA_BITS = new int[51];
    private static final int[] POSITION_BASE = new int[51];

    static {
        for (int slot = 0, base = 0; slot < EXTRA_BITS.length; slot++) {
            EXTRA_BITS[slot] = slot < 4 ? 0 : Math.min((slot - 2) / 2, 17);
            POSITION_BASE[slot] = base;
            base += 1 << EXTRA_BITS[slot];
        }
    }

    private final int windowSize;
    private final int windowMask;
    private final byte[] window;
    private final int mainSymbols;

    private final int[] mainLengths;
    private final int[] lengthLengths = new int[SECONDARY_LENGTHS];
    private final int[] alignedLengths = new int[ALIGNED_SYMBOLS];
    private final int[] pretreeLengths = new int[PRETREE_SYMBOLS];
    private final LzxHuffmanCode mainCode;
    private final LzxHuffmanCode lengthCode = new LzxHuffmanCode("length", SECONDARY_LENGTHS);
    private final LzxHuffmanCode alignedCode = new LzxHuffmanCode("aligned offset", ALIGNED_SYMBOLS);
    private final LzxHuffmanCode pretree = new LzxHuffmanCode("pretree", PRETREE_SYMBOLS);
    private final LzxBitReader in = new LzxBitReader();

    private int windowPos;
    /** Bytes decoded in earlier frames. */
    private long total;

    private int frames;
    private boolean headerRead;
    private int translationSize;
    private int blockType;
    private int blockSize;
    private int blockRemaining;
    private boolean padPending;
    private int r0 = 1;
    private int r1 = 1;
    private int r2 = 1;
    private boolean failed;

    private LzxDecoder(int windowBits) {
        this.windowSize = 1 << windowBits;
        this.windowMask = windowSize - 1;
        this.window = new byte[windowSize];
        int slots = windowBits == 21 ? 50 : windowBits == 20 ? 42 : windowBits * 2;
        this.mainSymbols = CHARS + slots * 8;
        this.mainLengths = new int[mainSymbols];
        this.mainCode = new LzxHuffmanCode("main", mainSymbols);
    }

    /**
     * A decoder for one folder.
     *
     * @param windowBits the window size exponent from CFFOLDER.typeCompress bits 8 to 12
     * @throws FormatException unless {@code windowBits} is 15 to 21
     */
    static LzxDecoder forWindow(int windowBits, long offset) throws FormatException {
        if (windowBits < MIN_WINDOW_BITS || windowBits > MAX_WINDOW_BITS) {
            throw new FormatException(
                    offset, "LZX window size 2^" + windowBits + " is outside 2^15 to 2^21 ([MS-CAB] 2.2 typeCompress)");
        }
        return new LzxDecoder(windowBits);
    }

    @Override
    public byte[] decode(byte[] block, int uncompressedSize, long offset) throws FormatException {
        if (failed) {
            throw new FormatException(offset, "LZX stream cannot continue after an earlier corrupt CFDATA block");
        }
        if (uncompressedSize > FRAME) {
            throw new FormatException(
                    offset, "LZX CFDATA block declares " + uncompressedSize + " bytes, more than a frame of " + FRAME);
        }
        failed = true;
        in.reset(block, offset);
        int frameStart = windowPos;
        if (!headerRead) {
            if (in.read(1) == 1) {
                translationSize = in.read(16) << 16 | in.read(16);
            }
            headerRead = true;
        }
        int produced = 0;
        while (produced < uncompressedSize) {
            if (blockRemaining == 0) {
                readBlockHeader();
                continue;
            }
            int frameLeft = uncompressedSize - produced;
            int run = Math.min(blockRemaining, frameLeft);
            if (blockType == UNCOMPRESSED) {
                copyStored(run);
                // the pad follows an odd block size, whatever part of the block this frame holds
                if (run == blockRemaining && (blockSize & 1) != 0) {
                    padPending = true;
                }
            } else {
                decodeCompressed(run, total + produced, run == frameLeft && run < blockRemaining);
            }
            blockRemaining -= run;
            produced += run;
        }
        byte[] out = new byte[uncompressedSize];
        int first = Math.min(uncompressedSize, windowSize - frameStart);
        System.arraycopy(window, frameStart, out, 0, first);
        System.arraycopy(window, 0, out, first, uncompressedSize - first);
        if (translationSize != 0 && frames < TRANSLATED_FRAMES && uncompressedSize > 10) {
            untranslateCalls(out, (int) total);
        }
        total += uncompressedSize;
        frames++;
        failed = false;
        return out;
    }

    private void readBlockHeader() throws FormatException {
        if (padPending) {
            in.skipPadByte();
            padPending = false;
        }
        long at = in.offset();
        int type = in.read(3);
        int size = in.read(24);
        switch (type) {
            case ALIGNED -> {
                for (int i = 0; i < ALIGNED_SYMBOLS; i++) {
                    alignedLengths[i] = in.read(3);
                }
                alignedCode.build(alignedLengths, false, at);
                readTrees(at);
            }
            case VERBATIM -> readTrees(at);
            case UNCOMPRESSED -> {
                in.alignToBytes();
                r0 = in.readInt32();
                r1 = in.readInt32();
                r2 = in.readInt32();
            }
            default -> throw new FormatException(at, "LZX block type " + type + " is not 1, 2 or 3");
        }
        blockType = type;
        blockSize = size;
        blockRemaining = size;
    }

    private void readTrees(long at) throws FormatException {
        readLengths(mainLengths, 0, CHARS, "main", at);
        readLengths(mainLengths, CHARS, mainSymbols, "main", at);
        mainCode.build(mainLengths, false, at);
        readLengths(lengthLengths, 0, SECONDARY_LENGTHS, "length", at);
        lengthCode.build(lengthLengths, true, at);
    }

    /** Reads {@code lengths[first..last)} as pretree-coded deltas from their previous values ([MS-PATCH] 2.2.1.2). */
    private void readLengths(int[] lengths, int first, int last, String tree, long at) throws FormatException {
        for (int i = 0; i < PRETREE_SYMBOLS; i++) {
            pretreeLengths[i] = in.read(4);
        }
        pretree.build(pretreeLengths, false, at);
        int x = first;
        while (x < last) {
            int code = pretree.decode(in);
            if (code <= 16) {
                lengths[x] = (lengths[x] - code + 17) % 17;
                x++;
                continue;
            }
            int run =
                    switch (code) {
                        case 17 -> in.read(4) + 4;
                        case 18 -> in.read(5) + 20;
                        default -> in.read(1) + 4;
                    };
            if (run > last - x) {
                throw new FormatException(
                        in.offset(),
                        "LZX " + tree + " tree run of " + run + " lengths at symbol " + x + " passes the last symbol "
                                + (last - 1));
            }
            int value = 0;
            if (code == 19) {
                int delta = pretree.decode(in);
                if (delta > 16) {
                    throw new FormatException(
                            in.offset(), "LZX pretree code " + delta + " where a length delta (0 to 16) belongs");
                }
                value = (lengths[x] - delta + 17) % 17;
            }
            for (int end = x + run; x < end; x++) {
                lengths[x] = value;
            }
        }
    }

    private void copyStored(int run) throws FormatException {
        int first = Math.min(run, windowSize - windowPos);
        in.readBytes(window, windowPos, first);
        in.readBytes(window, 0, run - first);
        windowPos = (windowPos + run) & windowMask;
    }

    /**
     * Decodes exactly {@code run} bytes of a verbatim or aligned block into the window.
     *
     * @param history bytes decoded before this run, which matches may reach back into
     * @param frameEnds true when the run stops at the frame's end rather than the block's
     */
    private void decodeCompressed(int run, long history, boolean frameEnds) throws FormatException {
        boolean alignedBlock = blockType == ALIGNED;
        byte[] w = window;
        int mask = windowMask;
        int pos = windowPos;
        int done = 0;
        while (done < run) {
            int symbol = mainCode.decode(in);
            if (symbol < CHARS) {
                w[pos] = (byte) symbol;
                pos = (pos + 1) & mask;
                done++;
                continue;
            }
            symbol -= CHARS;
            int length = symbol & 7;
            if (length == PRIMARY_LENGTHS) {
                length += lengthCode.decode(in);
            }
            length += MIN_MATCH;
            int slot = symbol >>> 3;
            int distance;
            if (slot > 2) {
                int extra = EXTRA_BITS[slot];
                distance = POSITION_BASE[slot] - 2;
                if (alignedBlock && extra >= 3) {
                    distance += in.read(extra - 3) << 3;
                    distance += alignedCode.decode(in);
                } else {
                    distance += in.read(extra);
                }
                r2 = r1;
                r1 = r0;
                r0 = distance;
            } else if (slot == 0) {
                distance = r0;
            } else if (slot == 1) {
                distance = r1;
                r1 = r0;
                r0 = distance;
            } else {
                distance = r2;
                r2 = r0;
                r0 = distance;
            }
            if (length > run - done) {
                throw new FormatException(
                        in.offset(),
                        "LZX match of " + length + " bytes runs past the end of its "
                                + (frameEnds ? "32 KiB frame" : "block") + " (" + (run - done) + " bytes left)");
            }
            if (distance <= 0 || distance > history + done || distance > windowSize) {
                throw new FormatException(
                        in.offset(),
                        "LZX match distance " + Integer.toUnsignedString(distance) + " reaches before the start of "
                                + "the window (" + Math.min(history + done, windowSize) + " bytes decoded)");
            }
            int from = (pos - distance) & mask;
            if (from + length <= windowSize && pos + length <= windowSize && distance >= length) {
                System.arraycopy(w, from, w, pos, length);
                pos += length;
                if (pos == windowSize) {
                    pos = 0;
                }
            } else {
                for (int i = 0; i < length; i++) {
                    w[pos] = w[from];
                    pos = (pos + 1) & mask;
                    from = (from + 1) & mask;
                }
            }
            done += length;
        }
        windowPos = pos;
    }

    /**
     * Undoes the encoder's E8 preprocessing ([MS-PATCH] 2.2.3): in the first 1 GiB, a 0xE8 byte (x86 CALL) more than
     * 10 bytes before the frame's end is followed by an absolute 32-bit target that is turned back into a relative
     * one when it lies in {@code [-position, translationSize)}.
     */
    private void untranslateCalls(byte[] out, int frameStart) {
        int end = out.length - 10;
        int i = 0;
        while (i < end) {
            if (out[i] != (byte) 0xE8) {
                i++;
                continue;
            }
            int position = frameStart + i;
            int target = (out[i + 1] & 0xFF)
                    | (out[i + 2] & 0xFF) << 8
                    | (out[i + 3] & 0xFF) << 16
                    | (out[i + 4] & 0xFF) << 24;
            if (target >= -position && target < translationSize) {
                int relative = target >= 0 ? target - position : target + translationSize;
                out[i + 1] = (byte) relative;
                out[i + 2] = (byte) (relative >>> 8);
                out[i + 3] = (byte) (relative >>> 16);
                out[i + 4] = (byte) (relative >>> 24);
            }
            i += 5;
        }
    }
}
