package dev.tollgate.formats.nsis;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * The decompressed NSIS header ({@code header} in NSIS's {@code Source/exehead/fileform.h}), as makensis 2.x and 3.x
 * write it: a fixed part whose block table points at the script's blocks, which follow it in this order.
 *
 * <pre>
 * offset size field
 *  0      4   flags (CH_FLAGS_*)
 *  4      8*B blocks[8]: {offset, num} for pages, sections, entries, strings, langtables, ctlcolors, bgfont, data;
 *             B is 8 for 32-bit stubs (offset 4 bytes) and 12 for 64-bit ones (offset 8 bytes)
 *  ...        install_reg_*, colours, callbacks, install_types[33], install_directory_ptr, ... (not read)
 * 300 / 332   the pages block: the fixed part is 300 bytes with 32-bit block offsets, 332 with 64-bit ones
 * </pre>
 *
 * Block offsets are relative to the start of the header. Pages are 64 bytes, sections 24 bytes plus a name of
 * {@link NsisStrings#MAX_CHARS} characters (1048 bytes in ANSI installers, 2072 in Unicode ones: this is how the
 * character width is told), entries {@link NsisEntry#SIZE} bytes; the strings block runs up to the language tables.
 * Any other arrangement is an unknown NSIS build and is refused ({@link UnsupportedNsisException}).
 */
public final class NsisHeader {

    /** The blocks, in the order of the block table (NB_PAGES .. NB_DATA). */
    public static final int PAGES = 0;

    public static final int SECTIONS = 1;
    public static final int ENTRIES = 2;
    public static final int STRINGS = 3;
    public static final int LANGTABLES = 4;
    public static final int CTLCOLORS = 5;
    public static final int BGFONT = 6;
    public static final int DATA = 7;
    public static final int BLOCKS = 8;

    /** The fixed part with 32-bit block offsets (makensis -HDRINFO: "Size of main header is 300 bytes"). */
    public static final int FIXED_SIZE_32 = 300;

    /** The fixed part with 64-bit block offsets: 4 more bytes for each of the 8 blocks. */
    public static final int FIXED_SIZE_64 = FIXED_SIZE_32 + 4 * BLOCKS;

    public static final int PAGE_SIZE = 64;
    private static final int SECTION_FIXED = 24;

    /** The most entries accepted; every one is 28 bytes of a header limited to {@link NsisFirstHeader#MAX_HEADER_BYTES}. */
    public static final int MAX_ENTRIES = (int) (NsisFirstHeader.MAX_HEADER_BYTES / NsisEntry.SIZE);

    /**
     * One block table row.
     *
     * @param offset where the block starts, from the start of the header
     * @param count how many records it holds (for the strings block, unused)
     */
    public record Block(long offset, long count) {}

    private final List<Block> blocks;
    private final boolean wide;
    private final List<NsisEntry> entries;
    private final NsisStrings strings;

    private NsisHeader(List<Block> blocks, boolean wide, List<NsisEntry> entries, NsisStrings strings) {
        this.blocks = List.copyOf(blocks);
        this.wide = wide;
        this.entries = List.copyOf(entries);
        this.strings = strings;
    }

    /** Parses the decompressed header {@code h} and checks its layout. */
    public static NsisHeader parse(ByteView h) throws FormatException {
        h.require(0, 4 + 8L * BLOCKS, "NSIS header block table");
        boolean wide;
        if (h.u32(4, "NSIS pages block offset") == FIXED_SIZE_32) {
            wide = false;
        } else if (h.has(4, 12L * BLOCKS) && h.u64(4, "NSIS pages block offset") == FIXED_SIZE_64) {
            wide = true;
        } else {
            throw new UnsupportedNsisException(
                    h.base() + 4,
                    "NSIS header layout not recognised: the pages block starts at " + h.u32(4, "pages offset")
                            + "; makensis puts it at " + FIXED_SIZE_32 + " (32-bit) or " + FIXED_SIZE_64
                            + " (64-bit)");
        }
        int row = wide ? 12 : 8;
        List<Block> blocks = new ArrayList<>(BLOCKS);
        for (int i = 0; i < BLOCKS; i++) {
            long at = 4 + (long) i * row;
            long offset = wide ? h.u64(at, "NSIS block offset") : h.u32(at, "NSIS block offset");
            long count = h.u32(at + row - 4, "NSIS block count");
            if (i != DATA && (offset < 0 || offset > h.size())) {
                throw new FormatException(
                        h.base() + at,
                        "NSIS block " + i + " starts at " + Long.toUnsignedString(offset) + ", outside the header of "
                                + h.size() + " bytes");
            }
            if (count > Integer.MAX_VALUE) {
                throw new FormatException(
                        h.base() + at + row - 4, "NSIS block " + i + " count " + count + " is negative");
            }
            blocks.add(new Block(offset, count));
        }
        requireLayout(h, blocks, PAGES, blocks.get(PAGES).count() * PAGE_SIZE, "pages of 64 bytes");
        long sectionBytes = blocks.get(ENTRIES).offset() - blocks.get(SECTIONS).offset();
        long sections = blocks.get(SECTIONS).count();
        boolean unicode;
        if (sections > 0 && sectionBytes == sections * (SECTION_FIXED + 2L * NsisStrings.MAX_CHARS)) {
            unicode = true;
        } else if (sectionBytes == sections * (SECTION_FIXED + (long) NsisStrings.MAX_CHARS)) {
            unicode = sections > 0 ? false : startsWithWideEmptyString(h, blocks.get(STRINGS));
        } else {
            throw new UnsupportedNsisException(
                    h.base() + 4 + (long) SECTIONS * row,
                    "NSIS header layout not recognised: " + sections + " sections take " + sectionBytes
                            + " bytes; makensis writes " + (SECTION_FIXED + NsisStrings.MAX_CHARS) + " (ANSI) or "
                            + (SECTION_FIXED + 2 * NsisStrings.MAX_CHARS) + " (Unicode) each");
        }
        requireLayout(h, blocks, ENTRIES, blocks.get(ENTRIES).count() * NsisEntry.SIZE, "entries of 28 bytes");
        Block stringBlock = blocks.get(STRINGS);
        long stringsEnd = blocks.get(LANGTABLES).offset();
        if (stringsEnd < stringBlock.offset()) {
            throw new UnsupportedNsisException(
                    h.base() + 4 + (long) LANGTABLES * row,
                    "NSIS header layout not recognised: the language tables at " + stringsEnd
                            + " start before the strings at " + stringBlock.offset());
        }
        NsisStrings strings = NsisStrings.of(
                h.slice(stringBlock.offset(), stringsEnd - stringBlock.offset(), "NSIS strings block"), unicode);

        Block entryBlock = blocks.get(ENTRIES);
        if (entryBlock.count() > MAX_ENTRIES) {
            throw new FormatException(
                    h.base() + 4 + (long) ENTRIES * row,
                    "NSIS header declares " + entryBlock.count() + " entries; at most " + MAX_ENTRIES);
        }
        List<NsisEntry> entries = new ArrayList<>((int) entryBlock.count());
        for (long i = 0; i < entryBlock.count(); i++) {
            long at = entryBlock.offset() + i * NsisEntry.SIZE;
            long[] raw = h.u32s(at, NsisEntry.SIZE / 4);
            if (raw.length < NsisEntry.SIZE / 4) {
                h.require(at, NsisEntry.SIZE, "NSIS entry " + i);
            }
            int[] parameters = new int[NsisEntry.PARAMETERS];
            for (int p = 0; p < NsisEntry.PARAMETERS; p++) {
                parameters[p] = (int) raw[p + 1];
            }
            entries.add(new NsisEntry((int) raw[0], parameters));
        }
        return new NsisHeader(blocks, wide, entries, strings);
    }

    /** Block {@code index} must be {@code bytes} long: the next block starts where it ends. */
    private static void requireLayout(ByteView h, List<Block> blocks, int index, long bytes, String what)
            throws FormatException {
        long start = blocks.get(index).offset();
        long next = blocks.get(index + 1).offset();
        if (next - start != bytes) {
            throw new UnsupportedNsisException(
                    h.base() + 4,
                    "NSIS header layout not recognised: block " + index + " holds "
                            + blocks.get(index).count() + " "
                            + what + " (" + bytes + " bytes) but the next block starts " + (next - start)
                            + " bytes after it");
        }
    }

    /** makensis puts the empty string first: two zero bytes in a Unicode table, one in an ANSI table. */
    private static boolean startsWithWideEmptyString(ByteView h, Block strings) throws FormatException {
        return h.has(strings.offset(), 2) && h.u16(strings.offset(), "NSIS first string") == 0;
    }

    /** The block table rows, NB_PAGES first. */
    public List<Block> blocks() {
        return blocks;
    }

    /** True for a 64-bit stub's header (8-byte block offsets). */
    public boolean wide() {
        return wide;
    }

    /** True when strings are UTF-16 (NSIS 3 {@code Unicode true}). */
    public boolean unicode() {
        return strings.unicode();
    }

    /** The script's instructions, in order. */
    public List<NsisEntry> entries() {
        return entries;
    }

    public NsisStrings strings() {
        return strings;
    }
}
