package dev.tollgate.formats.msi;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import dev.tollgate.formats.TruncatedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;

/**
 * An OLE compound file ([MS-CFB] "Compound File Binary File Format"): the header (2.2), the FAT built from the DIFAT
 * (2.3, 2.5), the mini FAT and mini stream (2.4), and the directory (2.6). Every sector chain is followed with a bound
 * on its length and a check for loops; every sector number is checked against the file.
 */
public final class CompoundFile {

    static final long ENDOFCHAIN = 0xFFFFFFFEL;
    static final long FREESECT = 0xFFFFFFFFL;
    private static final long MAXREGSECT = 0xFFFFFFFAL;
    private static final long NOSTREAM = 0xFFFFFFFFL;
    private static final int DIRECTORY_ENTRY = 128;
    private static final int MAX_DIRECTORY_ENTRIES = 1 << 20;

    /** Directory entry object types ([MS-CFB] 2.6.1). */
    public static final int STORAGE = 1;

    public static final int STREAM = 2;
    public static final int ROOT = 5;

    /**
     * One directory entry ([MS-CFB] 2.6.1).
     *
     * @param rawName the name's UTF-16LE bytes without the terminating NUL
     * @param metadata the 128 raw bytes of the entry (for the MSI pre-hash of {@code MsiDigitalSignatureEx})
     */
    public record Node(int id, String name, byte[] rawName, int type, long start, long size, byte[] metadata) {

        /** The CLSID bytes of a storage, as stored. */
        public byte[] clsid() {
            return java.util.Arrays.copyOfRange(metadata, 0x50, 0x60);
        }
    }

    private final ByteView view;
    private final int sectorShift;
    private final int miniShift;
    private final long miniCutoff;
    private final long[] fat;
    private final long[] miniFat;
    private final List<Node> nodes;
    private final List<int[]> links;
    private final byte[] miniStream;

    private CompoundFile(
            ByteView view,
            int sectorShift,
            int miniShift,
            long miniCutoff,
            long[] fat,
            long[] miniFat,
            List<Node> nodes,
            List<int[]> links,
            byte[] miniStream) {
        this.view = view;
        this.sectorShift = sectorShift;
        this.miniShift = miniShift;
        this.miniCutoff = miniCutoff;
        this.fat = fat;
        this.miniFat = miniFat;
        this.nodes = nodes;
        this.links = links;
        this.miniStream = miniStream;
    }

    public static CompoundFile parse(ByteView v) throws FormatException {
        v.require(0, 512, "CFB header");
        if (v.u64(0, "CFB signature") != 0xE11AB1A1E011CFD0L) {
            throw new FormatException(0, "CFB signature D0 CF 11 E0 A1 B1 1A E1 not found");
        }
        int major = v.u16(0x1A, "CFB major version");
        if (major != 3 && major != 4) {
            throw new FormatException(0x1A, "CFB major version " + major + " is not 3 or 4");
        }
        int sectorShift = v.u16(0x1E, "CFB sector shift");
        int miniShift = v.u16(0x20, "CFB mini sector shift");
        if ((sectorShift != 9 && sectorShift != 12) || miniShift != 6) {
            throw new FormatException(
                    0x1E, "CFB sector shifts " + sectorShift + "/" + miniShift + " are not 9 or 12 / 6");
        }
        long sectors = (v.size() >> sectorShift) + 1;
        long fatSectors = v.u32(0x2C, "CFB FAT sector count");
        long firstDirectory = v.u32(0x30, "CFB first directory sector");
        long miniCutoff = v.u32(0x38, "CFB mini stream cutoff");
        long firstMiniFat = v.u32(0x3C, "CFB first mini FAT sector");
        long firstDifat = v.u32(0x44, "CFB first DIFAT sector");
        if (fatSectors > sectors) {
            throw new FormatException(0x2C, "CFB declares " + fatSectors + " FAT sectors in a file of " + sectors);
        }
        int perSector = 1 << (sectorShift - 2);
        List<Long> fatSectorList = new ArrayList<>();
        for (int i = 0; i < 109 && fatSectorList.size() < fatSectors; i++) {
            fatSectorList.add(v.u32(0x4C + 4L * i, "CFB DIFAT"));
        }
        long difat = firstDifat;
        BitSet seen = new BitSet();
        while (fatSectorList.size() < fatSectors && difat <= MAXREGSECT) {
            if (difat >= sectors || seen.get((int) difat)) {
                throw new FormatException(0x44, "CFB DIFAT chain is broken or loops at sector " + difat);
            }
            seen.set((int) difat);
            long at = (difat + 1) << sectorShift;
            for (int i = 0; i < perSector - 1 && fatSectorList.size() < fatSectors; i++) {
                fatSectorList.add(v.u32(at + 4L * i, "CFB DIFAT sector"));
            }
            difat = v.u32(at + 4L * (perSector - 1), "CFB DIFAT next");
        }
        long[] fat = new long[(int) Math.min((long) fatSectorList.size() * perSector, sectors)];
        int k = 0;
        for (long s : fatSectorList) {
            if (s >= sectors) {
                throw new FormatException(0x4C, "CFB FAT sector " + s + " is past the end of the file");
            }
            long at = (s + 1) << sectorShift;
            for (int i = 0; i < perSector && k < fat.length; i++) {
                fat[k++] = v.u32(at + 4L * i, "CFB FAT");
            }
        }
        CompoundFile partial = new CompoundFile(
                v, sectorShift, miniShift, miniCutoff, fat, new long[0], List.of(), List.of(), new byte[0]);
        byte[] directory = partial.chain(firstDirectory, (long) MAX_DIRECTORY_ENTRIES * DIRECTORY_ENTRY, "directory");
        List<Node> nodes = new ArrayList<>();
        List<int[]> links = new ArrayList<>();
        ByteView d = ByteView.of(directory);
        for (int i = 0; (long) (i + 1) * DIRECTORY_ENTRY <= directory.length; i++) {
            long at = (long) i * DIRECTORY_ENTRY;
            int nameLength = Math.min(d.u16(at + 0x40, "directory name length"), 64);
            int chars = Math.max(0, nameLength / 2 - 1);
            byte[] rawName = d.bytes(at, chars * 2, "directory name");
            int type = d.u8(at + 0x42, "directory object type");
            long start = d.u32(at + 0x74, "directory start sector");
            // Version 3 files may leave garbage in the high half of the size ([MS-CFB] 2.6.3).
            long size =
                    major == 3 ? d.u32(at + 0x78, "directory stream size") : d.u64(at + 0x78, "directory stream size");
            if ((Long.compareUnsigned(size, v.size() * 2 + 0x10000) > 0) && type == STREAM) {
                throw new FormatException(
                        at,
                        "CFB stream entry " + i + " declares " + Long.toUnsignedString(size) + " bytes in a file of "
                                + v.size());
            }
            nodes.add(new Node(
                    i,
                    new String(rawName, StandardCharsets.UTF_16LE),
                    rawName,
                    type,
                    start,
                    size,
                    d.bytes(at, DIRECTORY_ENTRY, "directory entry")));
            links.add(new int[] {
                (int) d.u32(at + 0x44, "left sibling"),
                (int) d.u32(at + 0x48, "right sibling"),
                (int) d.u32(at + 0x4C, "child")
            });
        }
        if (nodes.isEmpty() || nodes.getFirst().type() != ROOT) {
            throw new FormatException(0, "CFB directory has no root entry");
        }
        long miniFatSectors = v.u32(0x40, "CFB mini FAT sector count");
        byte[] miniFatBytes = firstMiniFat > MAXREGSECT
                ? new byte[0]
                : partial.chain(firstMiniFat, Math.min(miniFatSectors, sectors) << sectorShift, "mini FAT");
        long[] miniFat = new long[miniFatBytes.length / 4];
        ByteView mf = ByteView.of(miniFatBytes);
        for (int i = 0; i < miniFat.length; i++) {
            miniFat[i] = mf.u32(4L * i, "mini FAT");
        }
        Node root = nodes.getFirst();
        // The root's size is an unsigned 64-bit field (version 4): compared as such, it is never more than the file.
        long miniStreamMax = Long.compareUnsigned(root.size(), v.size()) < 0 ? root.size() : v.size();
        byte[] miniStream =
                root.start() > MAXREGSECT ? new byte[0] : partial.chain(root.start(), miniStreamMax, "mini stream");
        return new CompoundFile(
                v,
                sectorShift,
                miniShift,
                miniCutoff,
                fat,
                miniFat,
                List.copyOf(nodes),
                List.copyOf(links),
                miniStream);
    }

    /**
     * Where the compound file's structure ends: after the last sector that the FAT marks as used (by a stream, the
     * directory, the FAT itself or the DIFAT), the header being sector -1. Bytes after it belong to no stream, so no
     * MSI signature covers them: the "GlueBall" trick (CVE-2020-1464) appends a payload there to a signed package.
     * Free sectors at the end of the file count as outside too: they hold nothing that an installer reads.
     */
    public long structureEnd() {
        int last = fat.length - 1;
        while (last >= 0 && fat[last] == FREESECT) {
            last--;
        }
        return Math.min(view.size(), (long) (last + 2) << sectorShift);
    }

    /** The whole file's bytes. */
    public ByteView view() {
        return view;
    }

    public Node root() {
        return nodes.getFirst();
    }

    /** The children of a storage, in directory-tree order; a tree that loops or points out of range is cut. */
    public List<Node> children(Node storage) {
        List<Node> out = new ArrayList<>();
        BitSet visited = new BitSet();
        Deque<Integer> stack = new ArrayDeque<>();
        int first = links.get(storage.id())[2];
        if (valid(first)) {
            stack.push(first);
        }
        while (!stack.isEmpty()) {
            int id = stack.pop();
            if (visited.get(id)) {
                continue;
            }
            visited.set(id);
            Node n = nodes.get(id);
            if (n.type() == STREAM || n.type() == STORAGE) {
                out.add(n);
            }
            int[] l = links.get(id);
            if (valid(l[0])) {
                stack.push(l[0]);
            }
            if (valid(l[1])) {
                stack.push(l[1]);
            }
        }
        return out;
    }

    private boolean valid(int id) {
        return Integer.toUnsignedLong(id) != NOSTREAM && id >= 0 && id < nodes.size();
    }

    /** The content of a stream, read fully; callers bound the size with {@code max}. */
    public byte[] read(Node stream, long max) throws FormatException {
        if (stream.type() != STREAM) {
            throw new FormatException(0, "directory entry " + stream.name() + " is not a stream");
        }
        if (Long.compareUnsigned(stream.size(), max) > 0) {
            throw new FormatException(
                    0,
                    "stream " + stream.name() + " has " + Long.toUnsignedString(stream.size())
                            + " bytes, more than the limit of " + max);
        }
        if (stream.size() < miniCutoff) {
            return miniChain(stream);
        }
        byte[] all = chain(stream.start(), stream.size(), "stream " + stream.name());
        if (all.length < stream.size()) {
            throw new TruncatedException(0, stream.size(), all.length, "stream " + stream.name());
        }
        return all.length == stream.size() ? all : java.util.Arrays.copyOf(all, (int) stream.size());
    }

    /**
     * The content of a stream as an input stream that follows the sector chain as it is read, so a stream of any size
     * (an MSI's cabinet may pass 2 GiB) is never held whole in memory. A broken chain (a sector outside the FAT, a
     * loop, a sector past the end of the file) fails the read with an {@link IOException} whose cause is the
     * {@link FormatException} naming it. Streams below the mini stream cutoff are small and read at once.
     */
    public InputStream open(Node stream, long max) throws FormatException {
        if (stream.type() != STREAM) {
            throw new FormatException(0, "directory entry " + stream.name() + " is not a stream");
        }
        if (Long.compareUnsigned(stream.size(), max) > 0) {
            throw new FormatException(
                    0,
                    "stream " + stream.name() + " has " + Long.toUnsignedString(stream.size())
                            + " bytes, more than the limit of " + max);
        }
        if (stream.size() < miniCutoff) {
            return new ByteArrayInputStream(miniChain(stream));
        }
        return new ChainStream(stream);
    }

    /** Reads a regular (not mini) stream sector by sector, straight from the file's bytes. */
    private final class ChainStream extends InputStream {
        private final Node stream;
        private final int sectorSize = 1 << sectorShift;
        private long sector;
        private long remaining;
        private int used;
        private long steps;

        ChainStream(Node stream) {
            this.stream = stream;
            this.sector = stream.start();
            this.remaining = stream.size();
            this.used = sectorSize; // no sector loaded yet: the first read checks the start sector
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (remaining == 0) {
                return -1;
            }
            try {
                if (used == sectorSize) {
                    if (steps > 0) {
                        sector = fat[(int) sector];
                    }
                    checkSector();
                    used = 0;
                }
                long at = ((sector + 1) << sectorShift) + used;
                int n = (int) Math.min(Math.min(len, sectorSize - used), remaining);
                if (at + n > view.size()) {
                    throw new TruncatedException(
                            at, n, Math.max(0, view.size() - at), "CFB stream " + stream.name() + " sector " + sector);
                }
                MemorySegment.copy(view.segment(), ValueLayout.JAVA_BYTE, at, b, off, n);
                used += n;
                remaining -= n;
                return n;
            } catch (FormatException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        private void checkSector() throws FormatException {
            if (sector == ENDOFCHAIN) {
                throw new TruncatedException(
                        0, stream.size(), stream.size() - remaining, "stream " + stream.name() + " (chain ends early)");
            }
            if (sector > MAXREGSECT || sector >= fat.length) {
                throw new FormatException(
                        0,
                        "CFB stream " + stream.name() + " chain points to sector " + Long.toHexString(sector)
                                + " outside the FAT of " + fat.length);
            }
            if (++steps > fat.length) {
                throw new FormatException(0, "CFB stream " + stream.name() + " chain loops");
            }
        }
    }

    /** The bytes of the chain from {@code start}, at most {@code max} (not negative) of them. */
    private byte[] chain(long start, long max, String what) throws FormatException {
        if (max < 0) {
            // A negative max once came from a signed reading of an unsigned size, and the copy to it asked for 2 GiB
            // (a fuzz find): callers compare sizes unsigned.
            throw new IllegalArgumentException("CFB " + what + ": " + max + " bytes asked");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long sector = start;
        int sectorSize = 1 << sectorShift;
        long steps = 0;
        while (sector != ENDOFCHAIN && out.size() < max) {
            if (sector > MAXREGSECT || sector >= fat.length) {
                throw new FormatException(
                        0,
                        "CFB " + what + " chain points to sector " + Long.toHexString(sector) + " outside the FAT of "
                                + fat.length);
            }
            if (++steps > fat.length) {
                throw new FormatException(0, "CFB " + what + " chain loops");
            }
            long at = (sector + 1) << sectorShift;
            int n = (int) Math.min(sectorSize, view.size() - at);
            if (n <= 0) {
                throw new TruncatedException(at, sectorSize, 0, "CFB " + what + " sector " + sector);
            }
            out.write(view.bytes(at, n, "CFB sector"), 0, n);
            sector = fat[(int) sector];
        }
        byte[] bytes = out.toByteArray();
        return bytes.length > max ? java.util.Arrays.copyOf(bytes, (int) max) : bytes;
    }

    private byte[] miniChain(Node stream) throws FormatException {
        int size = (int) stream.size();
        byte[] out = new byte[size];
        int miniSize = 1 << miniShift;
        long sector = stream.start();
        int written = 0;
        long steps = 0;
        while (written < size) {
            if (sector >= miniFat.length || ++steps > miniFat.length) {
                throw new FormatException(
                        0,
                        "CFB mini stream chain of " + stream.name() + " is broken at mini sector "
                                + Long.toHexString(sector));
            }
            long at = sector << miniShift;
            int n = Math.min(miniSize, size - written);
            if (at + n > miniStream.length) {
                throw new TruncatedException(at, n, miniStream.length - at, "mini stream of " + stream.name());
            }
            System.arraycopy(miniStream, (int) at, out, written, n);
            written += n;
            sector = miniFat[(int) sector];
        }
        return out;
    }
}
