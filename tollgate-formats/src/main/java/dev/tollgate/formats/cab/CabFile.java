package dev.tollgate.formats.cab;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import dev.tollgate.formats.TruncatedException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A Microsoft cabinet ([MS-CAB] "Cabinet File Format"): the CFHEADER (2.1), its CFFOLDER records (2.2), CFFILE
 * records (2.3) and, per folder, a chain of CFDATA blocks (2.4), stored or compressed with MSZIP or LZX. Quantum
 * folders are listed but not decoded. Every count and offset is checked against the file before use.
 */
public final class CabFile {

    /** Compression types, the low nibble of CFFOLDER.typeCompress (2.2). */
    public static final int NONE = 0;

    public static final int MSZIP = 1;
    public static final int QUANTUM = 2;
    public static final int LZX = 3;

    private static final int HEADER = 36;
    private static final int FLAG_PREV_CABINET = 0x0001;
    private static final int FLAG_NEXT_CABINET = 0x0002;
    private static final int FLAG_RESERVE_PRESENT = 0x0004;
    private static final int ATTRIBUTE_NAME_IS_UTF = 0x80;
    private static final int MAX_NAME = 256;

    /**
     * One folder: a compressed stream of concatenated files.
     *
     * @param compression {@link #NONE}, {@link #MSZIP}, {@link #QUANTUM} or {@link #LZX}
     * @param window for LZX, the window size exponent (15 to 21)
     */
    public record Folder(int index, long firstBlock, int blockCount, int compression, int window) {}

    /**
     * One file: {@code size} bytes at {@code offset} in the uncompressed stream of folder {@code folder}.
     *
     * @param folder the folder index, or 0xFFFD..0xFFFF for a file continued from or into another cabinet
     */
    public record File(String name, long size, long offset, int folder, int attributes) {

        /** True for a file that spans cabinets (its folder index is one of the CONTINUED values). */
        public boolean spansCabinets() {
            return folder >= 0xFFFD;
        }
    }

    private final ByteView view;
    private final List<Folder> folders;
    private final List<File> files;
    private final int dataReserve;

    private CabFile(ByteView view, List<Folder> folders, List<File> files, int dataReserve) {
        this.view = view;
        this.folders = List.copyOf(folders);
        this.files = List.copyOf(files);
        this.dataReserve = dataReserve;
    }

    /** Parses the header, folder and file records; the data blocks are read lazily by {@link #open(Folder)}. */
    public static CabFile parse(ByteView v) throws FormatException {
        v.require(0, HEADER, "CFHEADER");
        if (v.u32(0, "CFHEADER signature") != 0x4643534DL) {
            throw new FormatException(0, "CFHEADER signature 'MSCF' not found");
        }
        long filesAt = v.u32(16, "CFHEADER.coffFiles");
        int folderCount = v.u16(26, "CFHEADER.cFolders");
        int fileCount = v.u16(28, "CFHEADER.cFiles");
        int flags = v.u16(30, "CFHEADER.flags");
        long at = HEADER;
        int folderReserve = 0;
        int dataReserve = 0;
        if ((flags & FLAG_RESERVE_PRESENT) != 0) {
            int headerReserve = v.u16(at, "CFHEADER.cbCFHeader");
            folderReserve = v.u8(at + 2, "CFHEADER.cbCFFolder");
            dataReserve = v.u8(at + 3, "CFHEADER.cbCFData");
            at += 4 + headerReserve;
        }
        if ((flags & FLAG_PREV_CABINET) != 0) {
            at = skipString(v, at, "CFHEADER.szCabinetPrev");
            at = skipString(v, at, "CFHEADER.szDiskPrev");
        }
        if ((flags & FLAG_NEXT_CABINET) != 0) {
            at = skipString(v, at, "CFHEADER.szCabinetNext");
            at = skipString(v, at, "CFHEADER.szDiskNext");
        }
        List<Folder> folders = new ArrayList<>(folderCount);
        for (int i = 0; i < folderCount; i++) {
            long first = v.u32(at, "CFFOLDER.coffCabStart");
            int blocks = v.u16(at + 4, "CFFOLDER.cCFData");
            int type = v.u16(at + 6, "CFFOLDER.typeCompress");
            if (first > v.size()) {
                throw new FormatException(
                        at, "CFFOLDER " + i + " data starts at " + first + ", past the end " + v.size());
            }
            folders.add(new Folder(i, first, blocks, type & 0x0F, (type >> 8) & 0x1F));
            at += 8 + folderReserve;
        }
        List<File> files = new ArrayList<>(fileCount);
        at = filesAt;
        for (int i = 0; i < fileCount; i++) {
            long size = v.u32(at, "CFFILE.cbFile");
            long offset = v.u32(at + 4, "CFFILE.uoffFolderStart");
            int folder = v.u16(at + 8, "CFFILE.iFolder");
            int attributes = v.u16(at + 14, "CFFILE.attribs");
            long nameAt = at + 16;
            long end = stringEnd(v, nameAt, "CFFILE.szName");
            byte[] raw = v.bytes(nameAt, (int) (end - nameAt), "CFFILE.szName");
            String name = new String(
                    raw,
                    (attributes & ATTRIBUTE_NAME_IS_UTF) != 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            if (folder < 0xFFFD && folder >= folderCount) {
                throw new FormatException(at, "CFFILE " + name + " names folder " + folder + " of " + folderCount);
            }
            files.add(new File(name, size, offset, folder, attributes));
            at = end + 1;
        }
        return new CabFile(v, folders, files, dataReserve);
    }

    public List<Folder> folders() {
        return folders;
    }

    public List<File> files() {
        return files;
    }

    /**
     * The uncompressed stream of {@code folder}: its CFDATA blocks decoded one by one, each block's checksum checked.
     * Read errors are {@link java.io.IOException}s whose cause is a {@link FormatException} naming the block.
     *
     * @throws FormatException for a compression type this reader does not implement (Quantum; see
     *     {@link #supports(int)}), or an LZX window size outside 2^15 to 2^21
     */
    public InputStream open(Folder folder) throws FormatException {
        BlockDecoder decoder =
                switch (folder.compression()) {
                    case NONE -> BlockDecoder.stored();
                    case MSZIP -> new MsZipDecoder();
                    case LZX -> LzxDecoder.forWindow(folder.window(), folder.firstBlock());
                    default ->
                        throw new FormatException(
                                folder.firstBlock(),
                                "CFFOLDER " + folder.index() + " uses compression type " + folder.compression() + " ("
                                        + compressionName(folder.compression()) + "), not supported");
                };
        return new FolderStream(view, folder, dataReserve, decoder);
    }

    /** True when {@link #open(Folder)} decodes folders compressed with {@code compression}. */
    public static boolean supports(int compression) {
        return compression == NONE || compression == MSZIP || compression == LZX;
    }

    /** A name for a compression type, for messages. */
    public static String compressionName(int type) {
        return switch (type) {
            case NONE -> "none";
            case MSZIP -> "MSZIP";
            case QUANTUM -> "Quantum";
            case LZX -> "LZX";
            default -> "unknown " + type;
        };
    }

    private static long skipString(ByteView v, long at, String what) throws TruncatedException, FormatException {
        return stringEnd(v, at, what) + 1;
    }

    private static long stringEnd(ByteView v, long at, String what) throws TruncatedException, FormatException {
        for (long i = at; i < at + MAX_NAME; i++) {
            if (v.u8(i, what) == 0) {
                return i;
            }
        }
        throw new FormatException(at, what + " is longer than " + MAX_NAME + " bytes");
    }
}
