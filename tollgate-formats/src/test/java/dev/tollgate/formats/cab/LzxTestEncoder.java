package dev.tollgate.formats.cab;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A small LZX encoder for tests, written from [MS-PATCH] 2.2 independently of {@link LzxDecoder} (it shares no code
 * with it): E8 call translation, greedy LZ77 with hash chains and the repeated offsets R0/R1/R2, real length-limited
 * Huffman trees sent as pretree-coded deltas (run codes 17, 18 and 19), verbatim, aligned-offset and uncompressed
 * blocks, and the cabinet framing of one CFDATA block per 32 KiB of output. Its cabinets are cross-checked with
 * cabextract (libmspack) in {@code LzxCabextractIT}, so a mistake shared by this encoder and our decoder shows there.
 */
final class LzxTestEncoder {

    static final int FRAME = 32768;

    enum Kind {
        VERBATIM(1),
        ALIGNED(2),
        UNCOMPRESSED(3);

        final int type;

        Kind(int type) {
            this.type = type;
        }
    }

    /** A block of {@code length} output bytes; the last block of a plan takes whatever input is left. */
    record Block(Kind kind, int length) {}

    /** One CFDATA block's payload and the output bytes it stands for. */
    record Frame(byte[] data, int uncompressed) {}

    /** A file for {@link #cabinet}. */
    record CabEntry(String name, byte[] content) {}

    private static final int[] EXTRA = new int[51];
    private static final int[] BASE = new int[52];

    static {
        int base = 0;
        for (int s = 0; s < 51; s++) {
            EXTRA[s] = s < 4 ? 0 : Math.min((s - 2) / 2, 17);
            BASE[s] = base;
            base += 1 << EXTRA[s];
        }
        BASE[51] = base;
    }

    private final int windowBits;
    private final int translationSize;
    private final int mainSymbols;
    private final int[] prevMain;
    private final int[] prevLength = new int[249];
    private int r0 = 1;
    private int r1 = 1;
    private int r2 = 1;
    private int maxChain = 64;
    private boolean useRepeats = true;
    /** For hostile tests: added to the first explicit match distance, or matches allowed across frames/blocks. */
    private int firstDistanceBias;

    private boolean crossFrames;
    private boolean crossBlocks;

    private LzxTestEncoder(int windowBits, int translationSize) {
        this.windowBits = windowBits;
        this.translationSize = translationSize;
        int slots = windowBits == 21 ? 50 : windowBits == 20 ? 42 : windowBits * 2;
        this.mainSymbols = 256 + slots * 8;
        this.prevMain = new int[mainSymbols];
    }

    /** Encodes {@code input} with the block plan into CFDATA payloads. */
    static List<Frame> encode(byte[] input, int windowBits, int translationSize, List<Block> plan) {
        return new LzxTestEncoder(windowBits, translationSize).run(input, plan, true);
    }

    /** Like {@link #encode} but never uses a repeated offset on purpose (they still occur when a distance repeats). */
    static List<Frame> encodeWithoutRepeats(byte[] input, int windowBits, List<Block> plan) {
        LzxTestEncoder e = new LzxTestEncoder(windowBits, 0);
        e.useRepeats = false;
        return e.run(input, plan, true);
    }

    /** A stream whose first explicit match reaches {@code bias} bytes further back than anything decoded. */
    static List<Frame> encodeWithDistanceBeyondHistory(byte[] input, int bias) {
        LzxTestEncoder e = new LzxTestEncoder(15, 0);
        e.useRepeats = false;
        e.firstDistanceBias = bias;
        return e.run(input, List.of(new Block(Kind.VERBATIM, input.length)), true);
    }

    /** A stream with matches that run across frame ends (frames still declare 32 KiB) or across block ends. */
    static List<Frame> encodeAcross(byte[] input, boolean frames, boolean blocks, List<Block> plan) {
        LzxTestEncoder e = new LzxTestEncoder(16, 0);
        e.crossFrames = frames;
        e.crossBlocks = blocks;
        return e.run(input, plan, true);
    }

    /** A one-folder LZX cabinet holding {@code files}, concatenated in order. */
    static byte[] cabinet(List<CabEntry> files, int windowBits, int translationSize, List<Block> plan) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (CabEntry f : files) {
            all.writeBytes(f.content());
        }
        return cabinet(files, encode(all.toByteArray(), windowBits, translationSize, plan), windowBits);
    }

    static byte[] cabinet(List<CabEntry> files, List<Frame> frames, int windowBits) {
        int filesAt = 36 + 8;
        int size = filesAt;
        for (CabEntry f : files) {
            size += 16 + f.name().getBytes(StandardCharsets.ISO_8859_1).length + 1;
        }
        int dataAt = size;
        for (Frame fr : frames) {
            size += 8 + fr.data().length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put("MSCF".getBytes(StandardCharsets.US_ASCII)).putInt(0).putInt(size).putInt(0);
        b.putInt(filesAt).putInt(0).put((byte) 3).put((byte) 1);
        b.putShort((short) 1).putShort((short) files.size()).putShort((short) 0);
        b.putShort((short) 0x1234).putShort((short) 0);
        b.putInt(dataAt).putShort((short) frames.size()).putShort((short) (3 | windowBits << 8));
        long offset = 0;
        for (CabEntry f : files) {
            b.putInt(f.content().length).putInt((int) offset).putShort((short) 0);
            b.putShort((short) (((2023 - 1980) << 9) | (11 << 5) | 14)).putShort((short) (12 << 11));
            b.putShort((short) 0x20);
            b.put(f.name().getBytes(StandardCharsets.ISO_8859_1)).put((byte) 0);
            offset += f.content().length;
        }
        for (Frame fr : frames) {
            byte[] sizes = new byte[4];
            ByteBuffer.wrap(sizes)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putShort((short) fr.data().length)
                    .putShort((short) fr.uncompressed());
            long sum = FolderStream.checksum(sizes, 4, FolderStream.checksum(fr.data(), fr.data().length, 0));
            b.putInt((int) sum).put(sizes).put(fr.data());
        }
        return b.array();
    }

    /**
     * Writes a fixture cabinet: {@code OUT.cab WINDOW_BITS TRANSLATION_SIZE PLAN NAME=FILE...}, PLAN being one letter
     * per block (V verbatim, A aligned, U uncompressed), the input split evenly. Used by
     * {@code fixtures/archive/make-lzx.sh}.
     */
    public static void main(String[] args) throws java.io.IOException {
        int windowBits = Integer.parseInt(args[1]);
        int translationSize = Integer.parseInt(args[2]);
        List<CabEntry> files = new ArrayList<>();
        int total = 0;
        for (int i = 4; i < args.length; i++) {
            String[] nameAndFile = args[i].split("=", 2);
            byte[] content = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(nameAndFile[1]));
            files.add(new CabEntry(nameAndFile[0], content));
            total += content.length;
        }
        String kinds = args[3];
        int each = total / kinds.length() + 1;
        List<Block> plan = kinds.chars()
                .mapToObj(c -> new Block(c == 'V' ? Kind.VERBATIM : c == 'A' ? Kind.ALIGNED : Kind.UNCOMPRESSED, each))
                .toList();
        java.nio.file.Files.write(java.nio.file.Path.of(args[0]), cabinet(files, windowBits, translationSize, plan));
    }

    // --- encoding ---

    private List<Frame> run(byte[] original, List<Block> plan, boolean translate) {
        byte[] data = translate ? translateCalls(original) : original;
        Writer out = new Writer();
        if (translationSize != 0) {
            out.bits(1, 1);
            out.bits(translationSize >>> 16, 16);
            out.bits(translationSize & 0xFFFF, 16);
        } else {
            out.bits(0, 1);
        }
        int[] head = new int[1 << 16];
        Arrays.fill(head, -1);
        int[] chain = new int[data.length];
        int inserted = 0;
        int p = 0;
        boolean padPending = false;
        for (int bi = 0; bi < plan.size() && p < data.length; bi++) {
            Block block = plan.get(bi);
            int length = bi == plan.size() - 1 ? data.length - p : Math.min(block.length(), data.length - p);
            if (length >= 1 << 24) {
                throw new IllegalArgumentException("an LZX block holds less than 16 MiB, not " + length);
            }
            int end = p + length;
            out.cutIfAt(p);
            if (padPending) {
                out.rawByte(0);
                padPending = false;
            }
            out.bits(block.kind().type, 3);
            out.bits(length, 24);
            if (block.kind() == Kind.UNCOMPRESSED) {
                out.alignForBytes();
                out.raw(le32(r0));
                out.raw(le32(r1));
                out.raw(le32(r2));
                for (int q = p; q < end; q++) {
                    out.cutIfAt(q);
                    out.rawByte(data[q]);
                }
                padPending = (length & 1) != 0;
                p = end;
                continue;
            }
            // Tokenize the block: {main symbol, length symbol or -1, verbatim bits, verbatim count, aligned or -1}.
            List<int[]> tokens = new ArrayList<>();
            boolean aligned = block.kind() == Kind.ALIGNED;
            while (p < end) {
                while (inserted < p) {
                    inserted = insert(data, inserted, head, chain);
                }
                int frameEnd = (p / FRAME + 1) * FRAME;
                int maxLen = Math.min(
                        257, Math.min(crossBlocks ? data.length : end, crossFrames ? data.length : frameEnd) - p);
                int bestLen = 0;
                int bestDist = 0;
                if (maxLen >= 3 && p + 3 <= data.length) {
                    int cand = head[hash(data, p)];
                    int limit = Math.min(p, (1 << windowBits) - 3);
                    for (int steps = 0; cand >= 0 && steps < maxChain; steps++, cand = chain[cand]) {
                        int dist = p - cand;
                        if (dist > limit) {
                            break;
                        }
                        int len = matchLength(data, cand, p, maxLen);
                        if (len > bestLen) {
                            bestLen = len;
                            bestDist = dist;
                        }
                    }
                }
                int repSlot = -1;
                int repLen = 0;
                if (useRepeats) {
                    int[] reps = {r0, r1, r2};
                    for (int i = 0; i < 3; i++) {
                        if (reps[i] <= p && maxLen >= 2) {
                            int len = matchLength(data, p - reps[i], p, maxLen);
                            if (len > repLen) {
                                repLen = len;
                                repSlot = i;
                            }
                        }
                    }
                }
                if (repLen >= 2 && repLen + 1 >= bestLen) {
                    tokens.add(repeatMatch(repSlot, repLen));
                    p += repLen;
                } else if (bestLen >= 3) {
                    tokens.add(match(bestDist + firstDistanceBias, bestLen, aligned));
                    firstDistanceBias = 0;
                    p += bestLen;
                } else {
                    tokens.add(new int[] {data[p] & 0xFF, -1, 0, 0, -1});
                    p++;
                }
            }
            writeBlock(out, tokens, block.kind(), end - length);
        }
        out.finish(data.length);
        return out.frames;
    }

    private int[] repeatMatch(int slot, int len) {
        int dist =
                switch (slot) {
                    case 0 -> r0;
                    case 1 -> r1;
                    default -> r2;
                };
        if (slot == 1) {
            r1 = r0;
            r0 = dist;
        } else if (slot == 2) {
            r2 = r0;
            r0 = dist;
        }
        return withLength(new int[] {0, -1, 0, 0, -1}, slot, len);
    }

    private int[] match(int dist, int len, boolean aligned) {
        int formatted = dist + 2;
        int slot = 3;
        while (BASE[slot + 1] <= formatted) {
            slot++;
        }
        int footer = formatted - BASE[slot];
        int extra = EXTRA[slot];
        int[] token;
        if (aligned && extra >= 3) {
            token = new int[] {0, -1, footer >>> 3, extra - 3, footer & 7};
        } else {
            token = new int[] {0, -1, footer, extra, -1};
        }
        r2 = r1;
        r1 = r0;
        r0 = dist;
        return withLength(token, slot, len);
    }

    private static int[] withLength(int[] token, int slot, int len) {
        int header = Math.min(len - 2, 7);
        token[0] = 256 + (slot << 3) + header;
        token[1] = header == 7 ? len - 2 - 7 : -1;
        return token;
    }

    private void writeBlock(Writer out, List<int[]> tokens, Kind kind, int start) {
        int[] mainFreq = new int[mainSymbols];
        int[] lengthFreq = new int[249];
        int[] alignedFreq = new int[8];
        for (int[] t : tokens) {
            mainFreq[t[0]]++;
            if (t[1] >= 0) {
                lengthFreq[t[1]]++;
            }
            if (t[4] >= 0) {
                alignedFreq[t[4]]++;
            }
        }
        int[] mainLens = lengths(mainFreq, 16, true);
        boolean anyLength = Arrays.stream(lengthFreq).anyMatch(f -> f > 0);
        int[] lengthLens = anyLength ? lengths(lengthFreq, 16, true) : new int[249];
        int[] alignedLens = null;
        if (kind == Kind.ALIGNED) {
            alignedLens = lengths(alignedFreq, 7, true);
            for (int l : alignedLens) {
                out.bits(l, 3);
            }
        }
        writeLengths(out, prevMain, mainLens, 0, 256);
        writeLengths(out, prevMain, mainLens, 256, mainSymbols);
        writeLengths(out, prevLength, lengthLens, 0, 249);
        System.arraycopy(mainLens, 0, prevMain, 0, mainSymbols);
        System.arraycopy(lengthLens, 0, prevLength, 0, 249);
        int[] mainCodes = codes(mainLens);
        int[] lengthCodes = codes(lengthLens);
        int[] alignedCodes = alignedLens == null ? null : codes(alignedLens);
        int p = start;
        for (int[] t : tokens) {
            out.cutIfAt(p);
            out.bits(mainCodes[t[0]], mainLens[t[0]]);
            if (t[0] < 256) {
                p++;
                continue;
            }
            if (t[1] >= 0) {
                out.bits(lengthCodes[t[1]], lengthLens[t[1]]);
            }
            out.bits(t[2], t[3]);
            if (t[4] >= 0) {
                out.bits(alignedCodes[t[4]], alignedLens[t[4]]);
            }
            int header = (t[0] - 256) & 7;
            p += 2 + header + (t[1] >= 0 ? t[1] : 0);
        }
    }

    /** Sends lengths[first..last) as deltas from prev through a pretree of its own. */
    private static void writeLengths(Writer out, int[] prev, int[] lens, int first, int last) {
        List<int[]> codes = new ArrayList<>(); // {symbol, extra value, extra bits, second symbol or -1}
        int x = first;
        while (x < last) {
            int run = 1;
            while (x + run < last && lens[x + run] == lens[x]) {
                run++;
            }
            if (lens[x] == 0 && run >= 20) {
                int n = Math.min(run, 51);
                codes.add(new int[] {18, n - 20, 5, -1});
                x += n;
            } else if (lens[x] == 0 && run >= 4) {
                int n = Math.min(run, 19);
                codes.add(new int[] {17, n - 4, 4, -1});
                x += n;
            } else if (run >= 4) {
                int n = Math.min(run, 5);
                codes.add(new int[] {19, n - 4, 1, (prev[x] - lens[x] + 17) % 17});
                x += n;
            } else {
                codes.add(new int[] {(prev[x] - lens[x] + 17) % 17, 0, 0, -1});
                x++;
            }
        }
        int[] freq = new int[20];
        for (int[] c : codes) {
            freq[c[0]]++;
            if (c[3] >= 0) {
                freq[c[3]]++;
            }
        }
        int[] preLens = lengths(freq, 15, true);
        int[] preCodes = codes(preLens);
        for (int l : preLens) {
            out.bits(l, 4);
        }
        for (int[] c : codes) {
            out.bits(preCodes[c[0]], preLens[c[0]]);
            out.bits(c[1], c[2]);
            if (c[3] >= 0) {
                out.bits(preCodes[c[3]], preLens[c[3]]);
            }
        }
    }

    /** Huffman code lengths of at most {@code limit} bits; with {@code complete}, at least two symbols get a code. */
    static int[] lengths(int[] freq, int limit, boolean complete) {
        int n = freq.length;
        int[] f = freq.clone();
        if (complete) {
            int used = (int) Arrays.stream(f).filter(v -> v > 0).count();
            for (int s = 0; used < 2 && s < n; s++) {
                if (f[s] == 0) {
                    f[s] = 1;
                    used++;
                }
            }
        }
        while (true) {
            int[] lens = huffman(f);
            if (Arrays.stream(lens).max().orElse(0) <= limit) {
                return lens;
            }
            for (int s = 0; s < n; s++) {
                if (f[s] > 0) {
                    f[s] = (f[s] + 1) / 2;
                }
            }
        }
    }

    private static int[] huffman(int[] f) {
        int n = f.length;
        int[] parent = new int[2 * n];
        long[] weight = new long[2 * n];
        PriorityQueue<Integer> queue = new PriorityQueue<>(
                (a, b) -> weight[a] != weight[b] ? Long.compare(weight[a], weight[b]) : Integer.compare(a, b));
        for (int s = 0; s < n; s++) {
            if (f[s] > 0) {
                weight[s] = f[s];
                queue.add(s);
            }
        }
        int next = n;
        while (queue.size() > 1) {
            int a = queue.poll();
            int b = queue.poll();
            weight[next] = weight[a] + weight[b];
            parent[a] = next;
            parent[b] = next;
            queue.add(next++);
        }
        int root = next - 1;
        int[] lens = new int[n];
        for (int s = 0; s < n; s++) {
            if (f[s] > 0) {
                int d = 0;
                for (int v = s; v != root; v = parent[v]) {
                    d++;
                }
                lens[s] = d;
            }
        }
        return lens;
    }

    /** Canonical codes: by length, then by symbol. */
    static int[] codes(int[] lens) {
        int[] count = new int[18];
        for (int l : lens) {
            count[l]++;
        }
        count[0] = 0;
        int[] next = new int[18];
        int code = 0;
        for (int len = 1; len <= 17; len++) {
            code = (code + count[len - 1]) << 1;
            next[len] = code;
        }
        int[] codes = new int[lens.length];
        for (int s = 0; s < lens.length; s++) {
            if (lens[s] > 0) {
                codes[s] = next[lens[s]]++;
            }
        }
        return codes;
    }

    private byte[] translateCalls(byte[] original) {
        byte[] data = original.clone();
        if (translationSize == 0) {
            return data;
        }
        for (int frame = 0; frame * FRAME < data.length && frame < 32768; frame++) {
            int start = frame * FRAME;
            int size = Math.min(FRAME, data.length - start);
            for (int i = 0; i < size - 10; ) {
                if (data[start + i] != (byte) 0xE8) {
                    i++;
                    continue;
                }
                int pos = start + i;
                ByteBuffer operand = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
                int rel = operand.getInt(pos + 1);
                long r = rel;
                long absolute;
                if (r >= -pos && r < (long) translationSize - pos) {
                    absolute = r + pos;
                } else if (r >= (long) translationSize - pos && r < translationSize) {
                    absolute = r - translationSize;
                } else {
                    absolute = r;
                }
                operand.putInt(pos + 1, (int) absolute);
                i += 5;
            }
        }
        return data;
    }

    private static int insert(byte[] data, int at, int[] head, int[] chain) {
        if (at + 3 <= data.length) {
            int h = hash(data, at);
            chain[at] = head[h];
            head[h] = at;
        }
        return at + 1;
    }

    private static int hash(byte[] d, int at) {
        int v = (d[at] & 0xFF) << 16 | (d[at + 1] & 0xFF) << 8 | (d[at + 2] & 0xFF);
        return (v * 0x9E3779B1) >>> 16;
    }

    private static int matchLength(byte[] d, int from, int at, int max) {
        int len = 0;
        while (len < max && at + len < d.length && d[from + len] == d[at + len]) {
            len++;
        }
        return len;
    }

    private static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    /** 16-bit little-endian words filled from their most significant bit; one CFDATA payload per 32 KiB of output. */
    private static final class Writer {
        final List<Frame> frames = new ArrayList<>();
        private ByteArrayOutputStream current = new ByteArrayOutputStream();
        private long acc;
        private int count;
        private int frameStart;

        void bits(int value, int n) {
            for (int i = n - 1; i >= 0; i--) {
                acc = acc << 1 | ((value >>> i) & 1);
                if (++count == 16) {
                    current.write((int) acc & 0xFF);
                    current.write((int) (acc >>> 8) & 0xFF);
                    acc = 0;
                    count = 0;
                }
            }
        }

        void padToWord() {
            if (count > 0) {
                bits(0, 16 - count);
            }
        }

        /** 1 to 16 zero bits up to the next word boundary, then byte output. */
        void alignForBytes() {
            if (count == 0) {
                bits(0, 16);
            } else {
                padToWord();
            }
        }

        void raw(byte[] bytes) {
            current.writeBytes(bytes);
        }

        void rawByte(int b) {
            current.write(b);
        }

        /** Closes the frame when output position {@code p} is a frame boundary past the current frame. */
        void cutIfAt(int p) {
            if (p - frameStart >= FRAME) {
                padToWord();
                frames.add(new Frame(current.toByteArray(), FRAME));
                current = new ByteArrayOutputStream();
                frameStart += FRAME;
            }
        }

        void finish(int total) {
            padToWord();
            if (total > frameStart || frames.isEmpty()) {
                frames.add(new Frame(current.toByteArray(), total - frameStart));
            }
        }
    }
}
