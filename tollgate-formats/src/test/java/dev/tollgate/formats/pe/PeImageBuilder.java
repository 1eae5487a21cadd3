package dev.tollgate.formats.pe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Synthesises small PE32 and PE32+ images for tests, so that each feature and each hostile case can be produced
 * precisely. Layout: DOS header, PE header at {@code e_lfanew} (0x40 by default), optional header with 16 data
 * directories, section table; sections at RVA 0x1000, 0x2000, ... (one page each or more), raw data 0x200-aligned;
 * then the overlay, the certificate table (8-byte aligned) and trailing data.
 */
final class PeImageBuilder {

    static final long IMAGE_BASE_32 = 0x400000L;
    static final long IMAGE_BASE_64 = 0x140000000L;
    static final int FILE_ALIGNMENT = 0x200;
    static final int SECTION_ALIGNMENT = 0x1000;
    static final int CODE = 0x60000020; // CNT_CODE | MEM_EXECUTE | MEM_READ
    static final int DATA = 0x40000040; // CNT_INITIALIZED_DATA | MEM_READ

    private record SectionSpec(String name, int characteristics, LongFunction<byte[]> content) {}

    private final boolean pe32Plus;
    private int machine;
    private int characteristics = 0x0002; // EXECUTABLE_IMAGE
    private long timeDateStamp = 0x5f5e1000L;
    private int subsystem = 2;
    private long elfanew = 0x40;
    private Integer numberOfSectionsOverride;
    private Integer sizeOfOptionalHeaderOverride;
    private long numberOfRvaAndSizes = 16;
    private final List<SectionSpec> sections = new ArrayList<>();
    private final Map<Integer, long[]> directories = new LinkedHashMap<>();
    private byte[] overlay = new byte[0];
    private byte[] certificateTable;
    private byte[] trailing = new byte[0];

    private PeImageBuilder(boolean pe32Plus) {
        this.pe32Plus = pe32Plus;
        this.machine = pe32Plus ? 0x8664 : 0x014c;
    }

    static PeImageBuilder pe32() {
        return new PeImageBuilder(false);
    }

    static PeImageBuilder pe32Plus() {
        return new PeImageBuilder(true);
    }

    PeImageBuilder machine(int value) {
        machine = value;
        return this;
    }

    PeImageBuilder dll() {
        characteristics |= 0x2000;
        return this;
    }

    PeImageBuilder timeDateStamp(long value) {
        timeDateStamp = value;
        return this;
    }

    PeImageBuilder subsystem(int value) {
        subsystem = value;
        return this;
    }

    PeImageBuilder elfanew(long value) {
        elfanew = value;
        return this;
    }

    PeImageBuilder numberOfSections(int value) {
        numberOfSectionsOverride = value;
        return this;
    }

    PeImageBuilder sizeOfOptionalHeader(int value) {
        sizeOfOptionalHeaderOverride = value;
        return this;
    }

    PeImageBuilder numberOfRvaAndSizes(long value) {
        numberOfRvaAndSizes = value;
        return this;
    }

    /** A section whose content is computed from its RVA, so that it can hold RVAs to itself. */
    PeImageBuilder section(String name, int characteristics, LongFunction<byte[]> content) {
        sections.add(new SectionSpec(name, characteristics, content));
        return this;
    }

    PeImageBuilder section(String name, int characteristics, byte[] content) {
        return section(name, characteristics, rva -> content);
    }

    /** A section holding {@code content} that data directory {@code index} points at (its start, its length). */
    PeImageBuilder directorySection(String name, int index, LongFunction<byte[]> content) {
        return section(name, DATA, rva -> {
            byte[] bytes = content.apply(rva);
            directories.putIfAbsent(index, new long[] {rva, bytes.length});
            return bytes;
        });
    }

    /** Sets data directory {@code index}, overriding what a directory section would set. */
    PeImageBuilder directory(int index, long rva, long size) {
        directories.put(index, new long[] {rva, size});
        return this;
    }

    /** An import directory: per DLL, functions by name ("Name") or by ordinal ("#12"). */
    PeImageBuilder imports(Map<String, List<String>> dlls) {
        return directorySection(".idata", DataDirectory.IMPORT, rva -> importSection(rva, dlls));
    }

    /** A delay-load import directory in the RVA form ({@code rvaForm}) or the old VA form. */
    PeImageBuilder delayImports(Map<String, List<String>> dlls, boolean rvaForm) {
        return directorySection(".didat", DataDirectory.DELAY_IMPORT, rva -> delayImportSection(rva, dlls, rvaForm));
    }

    /** An export directory; a {@code null} name exports by ordinal only, a "=DLL.Func" suffix forwards. */
    PeImageBuilder exports(String dllName, int ordinalBase, List<String> names) {
        return section(".edata", DATA, rva -> {
            Blob b = exportSection(rva, dllName, ordinalBase, names);
            directories.putIfAbsent(DataDirectory.EXPORT, new long[] {rva, b.size()});
            return b.toArray();
        });
    }

    /** A resource section holding one RT_VERSION resource with this VS_VERSIONINFO. */
    PeImageBuilder versionResource(byte[] versionInfo) {
        return directorySection(".rsrc", DataDirectory.RESOURCE, rva -> resourceSection(rva, versionInfo));
    }

    PeImageBuilder overlay(byte[] bytes) {
        overlay = bytes.clone();
        return this;
    }

    /** Appends {@code table} 8-byte aligned after the overlay and points data directory 4 at it. */
    PeImageBuilder certificateTable(byte[] table) {
        certificateTable = table.clone();
        return this;
    }

    PeImageBuilder trailing(byte[] bytes) {
        trailing = bytes.clone();
        return this;
    }

    long imageBase() {
        return pe32Plus ? IMAGE_BASE_64 : IMAGE_BASE_32;
    }

    /** The file offset of the optional header. */
    long optionalHeaderOffset() {
        return elfanew + 24;
    }

    /** The file offset of data directory entry {@code index}. */
    long directoryEntryOffset(int index) {
        return optionalHeaderOffset() + (pe32Plus ? 112 : 96) + 8L * index;
    }

    byte[] build() {
        int optSize = pe32Plus ? 240 : 224;
        int sizeOfOptionalHeader = sizeOfOptionalHeaderOverride != null ? sizeOfOptionalHeaderOverride : optSize;
        long sectionTable = elfanew + 24 + sizeOfOptionalHeader;
        long headersEnd = Math.max(sectionTable + 40L * sections.size(), elfanew + 24 + optSize);
        int sizeOfHeaders = (int) align(headersEnd, FILE_ALIGNMENT);

        List<byte[]> contents = new ArrayList<>();
        long[] rvas = new long[sections.size()];
        long rva = SECTION_ALIGNMENT;
        for (int i = 0; i < sections.size(); i++) {
            rvas[i] = rva;
            byte[] c = sections.get(i).content().apply(rva);
            contents.add(c);
            rva += align(Math.max(1, c.length), SECTION_ALIGNMENT);
        }
        long sizeOfImage = rva;

        Blob out = new Blob();
        out.u16(0x5A4D);
        out.padTo(0x3c);
        out.u32(elfanew);
        out.padTo(elfanew);
        out.u32(0x00004550);
        out.u16(machine);
        out.u16(numberOfSectionsOverride != null ? numberOfSectionsOverride : sections.size());
        out.u32(timeDateStamp);
        out.u32(0);
        out.u32(0);
        out.u16(sizeOfOptionalHeader);
        out.u16(characteristics);
        long opt = out.size();
        out.u16(pe32Plus ? 0x20b : 0x10b);
        out.u8(14);
        out.u8(0);
        out.u32(0); // SizeOfCode
        out.u32(0);
        out.u32(0);
        out.u32(sections.isEmpty() ? 0 : rvas[0]); // AddressOfEntryPoint
        out.u32(sections.isEmpty() ? 0 : rvas[0]); // BaseOfCode
        if (pe32Plus) {
            out.u64(IMAGE_BASE_64);
        } else {
            out.u32(0); // BaseOfData
            out.u32(IMAGE_BASE_32);
        }
        out.u32(SECTION_ALIGNMENT);
        out.u32(FILE_ALIGNMENT);
        out.u16(6).u16(0).u16(0).u16(0).u16(6).u16(0);
        out.u32(0); // Win32VersionValue
        out.u32(sizeOfImage);
        out.u32(sizeOfHeaders);
        out.u32(0); // CheckSum
        out.u16(subsystem);
        out.u16(0x8160);
        for (int i = 0; i < 4; i++) {
            if (pe32Plus) {
                out.u64(0x100000);
            } else {
                out.u32(0x100000);
            }
        }
        out.u32(0); // LoaderFlags
        out.u32(numberOfRvaAndSizes);
        long dirs = out.size();
        out.padTo(opt + optSize);

        long table = opt + sizeOfOptionalHeader;
        long raw = sizeOfHeaders;
        long[] pointers = new long[sections.size()];
        for (int i = 0; i < sections.size(); i++) {
            pointers[i] = raw;
            raw += align(contents.get(i).length, FILE_ALIGNMENT);
        }
        long imageEnd = raw;

        byte[] file;
        long certOffset = align(imageEnd + overlay.length, 8);
        if (certificateTable != null) {
            directories.put(DataDirectory.CERTIFICATE, new long[] {certOffset, certificateTable.length});
            file = new byte[(int) (certOffset + certificateTable.length + trailing.length)];
        } else {
            file = new byte[(int) (imageEnd + overlay.length + trailing.length)];
        }
        byte[] head = out.toArray();
        System.arraycopy(head, 0, file, 0, Math.min(head.length, file.length));
        ByteBuffer bb = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<Integer, long[]> d : directories.entrySet()) {
            int at = (int) (dirs + 8L * d.getKey());
            bb.putInt(at, (int) d.getValue()[0]);
            bb.putInt(at + 4, (int) d.getValue()[1]);
        }
        for (int i = 0; i < sections.size(); i++) {
            int at = (int) (table + 40L * i);
            byte[] name = Arrays.copyOf(sections.get(i).name().getBytes(StandardCharsets.ISO_8859_1), 8);
            bb.put(at, name);
            bb.putInt(at + 8, contents.get(i).length);
            bb.putInt(at + 12, (int) rvas[i]);
            bb.putInt(at + 16, (int) align(contents.get(i).length, FILE_ALIGNMENT));
            bb.putInt(at + 20, (int) pointers[i]);
            bb.putInt(at + 36, sections.get(i).characteristics());
            System.arraycopy(contents.get(i), 0, file, (int) pointers[i], contents.get(i).length);
        }
        System.arraycopy(overlay, 0, file, (int) imageEnd, overlay.length);
        long after = imageEnd + overlay.length;
        if (certificateTable != null) {
            System.arraycopy(certificateTable, 0, file, (int) certOffset, certificateTable.length);
            after = certOffset + certificateTable.length;
        }
        System.arraycopy(trailing, 0, file, (int) after, trailing.length);
        return file;
    }

    // ---- directory contents ----

    private byte[] importSection(long base, Map<String, List<String>> dlls) {
        Blob b = new Blob();
        int ptr = pe32Plus ? 8 : 4;
        long descriptors = 0;
        b.padTo(20L * (dlls.size() + 1));
        int i = 0;
        for (Map.Entry<String, List<String>> dll : dlls.entrySet()) {
            long ilt = b.size();
            b.padTo(ilt + (long) ptr * (dll.getValue().size() + 1));
            long iat = b.size();
            b.padTo(iat + (long) ptr * (dll.getValue().size() + 1));
            long name = b.size();
            b.asciiz(dll.getKey()).align(2);
            for (int f = 0; f < dll.getValue().size(); f++) {
                long thunk = thunk(b, base, dll.getValue().get(f), 0);
                b.putPointer(ilt + (long) ptr * f, thunk, ptr);
                b.putPointer(iat + (long) ptr * f, thunk, ptr);
            }
            long d = descriptors + 20L * i++;
            b.putU32(d, base + ilt);
            b.putU32(d + 12, base + name);
            b.putU32(d + 16, base + iat);
        }
        return b.toArray();
    }

    private byte[] delayImportSection(long base, Map<String, List<String>> dlls, boolean rvaForm) {
        Blob b = new Blob();
        int ptr = pe32Plus ? 8 : 4;
        long bias = rvaForm ? 0 : imageBase();
        b.padTo(32L * (dlls.size() + 1));
        int i = 0;
        for (Map.Entry<String, List<String>> dll : dlls.entrySet()) {
            long hmod = b.size();
            b.padTo(hmod + 8);
            long iat = b.size();
            b.padTo(iat + (long) ptr * (dll.getValue().size() + 1));
            long nameTable = b.size();
            b.padTo(nameTable + (long) ptr * (dll.getValue().size() + 1));
            long name = b.size();
            b.asciiz(dll.getKey()).align(2);
            for (int f = 0; f < dll.getValue().size(); f++) {
                b.putPointer(
                        nameTable + (long) ptr * f,
                        thunk(b, base, dll.getValue().get(f), bias),
                        ptr);
            }
            long d = 32L * i++;
            b.putU32(d, rvaForm ? 1 : 0);
            b.putU32(d + 4, bias + base + name);
            b.putU32(d + 8, bias + base + hmod);
            b.putU32(d + 12, bias + base + iat);
            b.putU32(d + 16, bias + base + nameTable);
        }
        return b.toArray();
    }

    /** Writes a hint/name entry (or nothing, for "#ordinal") and returns the lookup entry's value. */
    private long thunk(Blob b, long base, String function, long bias) {
        if (function.startsWith("#")) {
            long ordinal = Long.parseLong(function.substring(1));
            return (pe32Plus ? Long.MIN_VALUE : 0x80000000L) | ordinal;
        }
        long at = b.size();
        b.u16(function.length()); // any hint will do
        b.asciiz(function).align(2);
        return bias + base + at;
    }

    private static Blob exportSection(long base, String dllName, int ordinalBase, List<String> specs) {
        Blob b = new Blob();
        b.padTo(40);
        int n = specs.size();
        long eat = b.size();
        b.padTo(eat + 4L * n);
        List<Integer> named = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (specs.get(i) != null) {
                named.add(i);
            }
        }
        // The name pointer table must be sorted by name for the loader's binary search.
        named.sort((x, y) -> name(specs.get(x)).compareTo(name(specs.get(y))));
        long npt = b.size();
        b.padTo(npt + 4L * named.size());
        long ot = b.size();
        b.padTo(ot + 2L * named.size()).align(4);
        long dllNameAt = b.size();
        b.asciiz(dllName);
        for (int k = 0; k < named.size(); k++) {
            int index = named.get(k);
            long at = b.size();
            b.asciiz(name(specs.get(index)));
            b.putU32(npt + 4L * k, base + at);
            b.putU16(ot + 2L * k, index);
        }
        long[] forwarders = new long[n];
        for (int i = 0; i < n; i++) {
            String spec = specs.get(i);
            if (spec != null && spec.contains("=")) {
                forwarders[i] = base + b.size();
                b.asciiz(spec.substring(spec.indexOf('=') + 1));
            }
        }
        long size = b.size();
        for (int i = 0; i < n; i++) {
            // Non-forwarded exports point at made-up code RVAs beyond the image, never inside this directory.
            b.putU32(eat + 4L * i, forwarders[i] != 0 ? forwarders[i] : 0x100000 + 0x10L * i);
        }
        b.putU32(12, base + dllNameAt);
        b.putU32(16, ordinalBase);
        b.putU32(20, n);
        b.putU32(24, named.size());
        b.putU32(28, base + eat);
        b.putU32(32, base + npt);
        b.putU32(36, base + ot);
        b.padTo(size);
        return b;
    }

    private static String name(String spec) {
        return spec.contains("=") ? spec.substring(0, spec.indexOf('=')) : spec;
    }

    /** Type 16 -> name 1 -> language 0x409 -> data entry -> the bytes. */
    static byte[] resourceSection(long base, byte[] data) {
        Blob b = new Blob();
        resourceTable(b, 1);
        b.u32(16).u32(0x80000000L | 0x18);
        resourceTable(b, 1);
        b.u32(1).u32(0x80000000L | 0x30);
        resourceTable(b, 1);
        b.u32(0x409).u32(0x48);
        b.u32(base + 0x58).u32(data.length).u32(0).u32(0);
        b.padTo(0x58);
        b.bytes(data);
        return b.toArray();
    }

    /** A resource directory table header with {@code ids} ID entries to follow. */
    static Blob resourceTable(Blob b, int ids) {
        return b.u32(0).u32(0).u16(0).u16(0).u16(0).u16(ids);
    }

    // ---- version resource ----

    /** A VS_VERSIONINFO with fixed file info and one string table. */
    static byte[] versionInfo(int[] fileVersion, int[] productVersion, Map<String, String> strings) {
        Blob fixed = new Blob()
                .u32(0xFEEF04BDL)
                .u32(0x00010000)
                .u32(((long) fileVersion[0] << 16) | fileVersion[1])
                .u32(((long) fileVersion[2] << 16) | fileVersion[3])
                .u32(((long) productVersion[0] << 16) | productVersion[1])
                .u32(((long) productVersion[2] << 16) | productVersion[3])
                .u32(0x3f)
                .u32(0)
                .u32(0x40004)
                .u32(2)
                .u32(0)
                .u32(0)
                .u32(0);
        List<byte[]> stringBlocks = new ArrayList<>();
        for (Map.Entry<String, String> e : strings.entrySet()) {
            byte[] value = utf16z(e.getValue());
            stringBlocks.add(versionBlock(e.getKey(), 1, value, value.length / 2, List.of()));
        }
        byte[] table = versionBlock("040904b0", 1, new byte[0], 0, stringBlocks);
        byte[] stringFileInfo = versionBlock("StringFileInfo", 1, new byte[0], 0, List.of(table));
        byte[] translation = new Blob().u16(0x409).u16(1200).toArray();
        byte[] var = versionBlock("Translation", 0, translation, 4, List.of());
        byte[] varFileInfo = versionBlock("VarFileInfo", 1, new byte[0], 0, List.of(var));
        return versionBlock("VS_VERSION_INFO", 0, fixed.toArray(), 52, List.of(stringFileInfo, varFileInfo));
    }

    /** One version block: header, key, padding, value, padding, children. */
    static byte[] versionBlock(String key, int type, byte[] value, int valueLength, List<byte[]> children) {
        Blob b = new Blob();
        b.u16(0).u16(valueLength).u16(type);
        b.bytes(utf16z(key)).align(4);
        b.bytes(value);
        for (byte[] child : children) {
            b.align(4);
            b.bytes(child);
        }
        b.putU16(0, b.size());
        return b.toArray();
    }

    static byte[] utf16z(String s) {
        return (s + "\0").getBytes(StandardCharsets.UTF_16LE);
    }

    // ---- certificate table ----

    /** One WIN_CERTIFICATE entry, padded with zeros to 8 bytes. */
    static byte[] certificateEntry(int revision, int type, byte[] content) {
        Blob b = new Blob().u32(8L + content.length).u16(revision).u16(type);
        b.bytes(content);
        b.align(8);
        return b.toArray();
    }

    static byte[] concat(byte[]... parts) {
        Blob b = new Blob();
        for (byte[] p : parts) {
            b.bytes(p);
        }
        return b.toArray();
    }

    static long align(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    static void putU32(byte[] file, long offset, long value) {
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt((int) offset, (int) value);
    }

    static void putU16(byte[] file, long offset, int value) {
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putShort((int) offset, (short) value);
    }

    static long u32(byte[] file, long offset) {
        return Integer.toUnsignedLong(
                ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getInt((int) offset));
    }

    /** A growable little-endian byte buffer with back-patching. */
    static final class Blob {
        private byte[] bytes = new byte[256];
        private int size;

        int size() {
            return size;
        }

        private void ensure(long n) {
            if (n > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.max(n, bytes.length * 2L));
            }
        }

        Blob u8(int v) {
            ensure(size + 1);
            bytes[size++] = (byte) v;
            return this;
        }

        Blob u16(long v) {
            return u8((int) v).u8((int) (v >>> 8));
        }

        Blob u32(long v) {
            return u16(v & 0xffff).u16(v >>> 16);
        }

        Blob u64(long v) {
            return u32(v & 0xffffffffL).u32(v >>> 32);
        }

        Blob bytes(byte[] b) {
            ensure(size + (long) b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
            return this;
        }

        Blob asciiz(String s) {
            return bytes(s.getBytes(StandardCharsets.ISO_8859_1)).u8(0);
        }

        Blob padTo(long n) {
            ensure(n);
            size = (int) Math.max(size, n);
            return this;
        }

        Blob align(int alignment) {
            return padTo(PeImageBuilder.align(size, alignment));
        }

        void putU16(long at, long v) {
            bytes[(int) at] = (byte) v;
            bytes[(int) at + 1] = (byte) (v >>> 8);
        }

        void putU32(long at, long v) {
            putU16(at, v & 0xffff);
            putU16(at + 2, v >>> 16);
        }

        void putPointer(long at, long v, int size) {
            putU32(at, v & 0xffffffffL);
            if (size == 8) {
                putU32(at + 4, v >>> 32);
            }
        }

        byte[] toArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
