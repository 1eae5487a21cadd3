package dev.tollgate.formats.pe;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.TruncatedException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A parsed PE image (Microsoft "PE Format" specification, the PE/COFF specification): headers, sections, imports,
 * exports, the version resource, the overlay and the attribute certificate table, read defensively from untrusted
 * bytes.
 *
 * <p>{@link #parse} throws {@link PeFormatException} only when the bytes cannot be read as a PE image at all: no
 * {@code MZ}, {@code e_lfanew} outside the file, no {@code PE\0\0} signature, or the COFF or optional header cut short.
 * Everything after the headers is read best-effort: damage, unmappable RVAs, loops and exceeded limits become
 * {@link #anomalies()} and the structure concerned is cut short. Every count and size read from the file is bounded
 * by the limits below, so parsing is linear in the file's size and never loops.
 *
 * <p>All offsets are relative to the {@link ByteView} given to {@link #parse}, which is taken to be the whole file.
 * The view must stay valid and unchanged while this object is used: section entropy is computed eagerly, but
 * certificate entries are views on it. Instances are immutable and thread-safe.
 */
public final class PeFile {

    /** At most this many sections are read; Windows itself refuses more than 96. */
    public static final int MAX_SECTIONS = 1024;
    /** At most this many import (and, separately, delay-import) descriptors. */
    public static final int MAX_IMPORT_DLLS = 4096;
    /** At most this many thunks per imported DLL. */
    public static final int MAX_FUNCTIONS_PER_DLL = 65536;
    /** At most this many imported functions in all. */
    public static final int MAX_IMPORTS = 200_000;
    /** At most this many exports. */
    public static final int MAX_EXPORTS = 200_000;
    /** Longest DLL, function, export or forwarder name read, in bytes. */
    public static final int MAX_NAME_LENGTH = 4096;
    /** Resource directory levels walked: type, name, language. */
    public static final int MAX_RESOURCE_DEPTH = 3;
    /** At most this many resource directory entries in all. */
    public static final int MAX_RESOURCE_ENTRIES = 10_000;
    /** Largest version resource parsed. */
    public static final int MAX_VERSION_RESOURCE_SIZE = 1 << 20;
    /** At most this many WIN_CERTIFICATE entries. */
    public static final int MAX_CERTIFICATE_ENTRIES = 4096;
    /** At most this many anomalies are kept; one more says the rest were dropped. */
    public static final int MAX_ANOMALIES = 1000;

    static final int MZ = 0x5A4D;
    static final long PE_SIGNATURE = 0x00004550L;
    static final int PE32_MAGIC = 0x10b;
    static final int PE32_PLUS_MAGIC = 0x20b;
    static final int COFF_HEADER_SIZE = 20;
    static final int SECTION_HEADER_SIZE = 40;
    static final int MAX_DATA_DIRECTORIES = 16;
    static final int FILE_DLL = 0x2000;
    static final long COFF_SYMBOL_SIZE = 18;
    private static final long DIGEST_CHUNK = 1 << 24;

    private final ByteView data;
    private final long peHeaderOffset;
    private final int machine;
    private final int numberOfSections;
    private final long timeDateStamp;
    private final int sizeOfOptionalHeader;
    private final int characteristics;
    private final boolean pe32Plus;
    private final long entryPoint;
    private final long imageBase;
    private final long sectionAlignment;
    private final long fileAlignment;
    private final long sizeOfImage;
    private final long sizeOfHeaders;
    private final long checkSum;
    private final long checkSumOffset;
    private final int subsystem;
    private final int dllCharacteristics;
    private final long numberOfRvaAndSizes;
    private final List<DataDirectory> dataDirectories;
    private final List<PeSection> sections;
    private final List<PeImport> imports;
    private final List<PeExport> exports;
    private final Optional<VersionInfo> versionInfo;
    private final long imageEnd;
    private final Optional<ByteRange> coffSymbolTable;
    private final Optional<CertificateTable> certificateTable;
    private final List<ByteRange> digestRanges;
    private final List<PeAnomaly> anomalies;

    private PeFile(ByteView data, Map<ByteRange, Double> knownEntropy) throws PeFormatException {
        this.data = data;
        Anomalies found = new Anomalies();
        try {
            // DOS header: only e_magic and e_lfanew matter.
            data.require(0, 64, "DOS header");
            int magic = data.u16(0, "e_magic");
            if (magic != MZ) {
                throw new PeFormatException(
                        0, "not a PE file: expected MZ (0x5a4d) but found 0x" + Integer.toHexString(magic));
            }
            peHeaderOffset = data.u32(0x3c, "e_lfanew");
            if (peHeaderOffset > data.size() - 4) {
                throw new PeFormatException(
                        0x3c,
                        "e_lfanew 0x" + Long.toHexString(peHeaderOffset) + " points past the end of the file (size 0x"
                                + Long.toHexString(data.size()) + ")");
            }
            long signature = data.u32(peHeaderOffset, "PE signature");
            if (signature != PE_SIGNATURE) {
                throw new PeFormatException(
                        peHeaderOffset,
                        "PE signature not found: expected 0x00004550 (PE\\0\\0) but found 0x"
                                + Long.toHexString(signature));
            }

            long coff = peHeaderOffset + 4;
            data.require(coff, COFF_HEADER_SIZE, "COFF header");
            machine = data.u16(coff, "Machine");
            numberOfSections = data.u16(coff + 2, "NumberOfSections");
            timeDateStamp = data.u32(coff + 4, "TimeDateStamp");
            long pointerToSymbolTable = data.u32(coff + 8, "PointerToSymbolTable");
            long numberOfSymbols = data.u32(coff + 12, "NumberOfSymbols");
            sizeOfOptionalHeader = data.u16(coff + 16, "SizeOfOptionalHeader");
            characteristics = data.u16(coff + 18, "Characteristics");

            long opt = coff + COFF_HEADER_SIZE;
            int optMagic = data.u16(opt, "optional header Magic");
            if (optMagic != PE32_MAGIC && optMagic != PE32_PLUS_MAGIC) {
                throw new PeFormatException(
                        opt,
                        "optional header magic: expected 0x10b (PE32) or 0x20b (PE32+) but found 0x"
                                + Integer.toHexString(optMagic));
            }
            pe32Plus = optMagic == PE32_PLUS_MAGIC;
            int directoriesAt = pe32Plus ? 112 : 96;
            data.require(opt, directoriesAt, pe32Plus ? "PE32+ optional header" : "PE32 optional header");
            entryPoint = data.u32(opt + 16, "AddressOfEntryPoint");
            imageBase = pe32Plus ? data.u64(opt + 24, "ImageBase") : data.u32(opt + 28, "ImageBase");
            sectionAlignment = data.u32(opt + 32, "SectionAlignment");
            fileAlignment = data.u32(opt + 36, "FileAlignment");
            sizeOfImage = data.u32(opt + 56, "SizeOfImage");
            sizeOfHeaders = data.u32(opt + 60, "SizeOfHeaders");
            checkSumOffset = opt + 64;
            checkSum = data.u32(checkSumOffset, "CheckSum");
            subsystem = data.u16(opt + 68, "Subsystem");
            dllCharacteristics = data.u16(opt + 70, "DllCharacteristics");
            numberOfRvaAndSizes = data.u32(opt + directoriesAt - 4, "NumberOfRvaAndSizes");

            if (sizeOfOptionalHeader < directoriesAt) {
                found.add(
                        PeAnomaly.Kind.HEADER,
                        coff + 16,
                        "SizeOfOptionalHeader " + sizeOfOptionalHeader + " is smaller than the fixed part of the "
                                + (pe32Plus ? "PE32+" : "PE32") + " optional header (" + directoriesAt + ")");
            }
            int directoryCount = (int) Math.min(numberOfRvaAndSizes, MAX_DATA_DIRECTORIES);
            if (numberOfRvaAndSizes > MAX_DATA_DIRECTORIES) {
                found.add(
                        PeAnomaly.Kind.HEADER,
                        opt + directoriesAt - 4,
                        "NumberOfRvaAndSizes " + numberOfRvaAndSizes + " is more than 16; only 16 are read");
            }
            if (directoriesAt + 8L * directoryCount > sizeOfOptionalHeader) {
                found.add(
                        PeAnomaly.Kind.HEADER,
                        opt + directoriesAt,
                        directoryCount + " data directories run past SizeOfOptionalHeader " + sizeOfOptionalHeader);
            }
            data.require(opt + directoriesAt, 8L * directoryCount, "data directories");
            List<DataDirectory> dirs = new ArrayList<>(directoryCount);
            for (int i = 0; i < directoryCount; i++) {
                long at = opt + directoriesAt + 8L * i;
                dirs.add(new DataDirectory(i, data.u32(at, "data directory RVA"), data.u32(at + 4, "size"), at));
            }
            dataDirectories = List.copyOf(dirs);

            sections = readSections(
                    data,
                    opt + sizeOfOptionalHeader,
                    numberOfSections,
                    pointerToSymbolTable,
                    numberOfSymbols,
                    knownEntropy,
                    found);
            if (sizeOfHeaders > data.size()) {
                found.add(
                        PeAnomaly.Kind.HEADER,
                        opt + 60,
                        "SizeOfHeaders 0x" + Long.toHexString(sizeOfHeaders) + " is past the end of the file");
            }
            imageEnd = computeImageEnd(data.size(), sizeOfHeaders, sections);
            coffSymbolTable = readCoffSymbolTable(data, coff + 8, pointerToSymbolTable, numberOfSymbols, found);

            MappedImage image = new MappedImage(
                    data, new AddressMap(sections, sizeOfHeaders, data.size()), pe32Plus, imageBase, found);
            List<PeImport> allImports = new ArrayList<>();
            ImportDirectory.read(image, directory(DataDirectory.IMPORT), allImports);
            DelayImportDirectory.read(image, directory(DataDirectory.DELAY_IMPORT), allImports);
            imports = List.copyOf(allImports);
            exports = ExportDirectory.read(image, directory(DataDirectory.EXPORT));
            versionInfo = ResourceDirectory.read(image, directory(DataDirectory.RESOURCE))
                    .flatMap(leaf -> VersionResource.read(image, leaf));

            Optional<DataDirectory> certDir = directory(DataDirectory.CERTIFICATE);
            certificateTable = certDir.flatMap(d -> CertificateTableReader.read(data, d, imageEnd, found));
            digestRanges = computeDigestRanges(
                    data.size(), checkSumOffset, certDir.map(DataDirectory::entryOffset), certificateTable);
        } catch (TruncatedException e) {
            throw new PeFormatException(e.offset() - data.base(), "PE headers truncated: " + e.getMessage(), e);
        }
        this.anomalies = found.toList();
    }

    /**
     * Parses {@code data} as a PE image.
     *
     * @throws PeFormatException when the bytes are not a PE image or its headers are cut short
     */
    public static PeFile parse(ByteView data) throws PeFormatException {
        return parse(data, Map.of());
    }

    /**
     * Parses {@code data} as a PE image, taking the entropy of a section's raw data from {@code knownEntropy} when it
     * holds that data's range (as {@link #sectionData} gives it), so that a caller that has already read every byte
     * once need not have them read again.
     *
     * @throws PeFormatException when the bytes are not a PE image or its headers are cut short
     */
    public static PeFile parse(ByteView data, Map<ByteRange, Double> knownEntropy) throws PeFormatException {
        return new PeFile(Objects.requireNonNull(data, "data"), Map.copyOf(knownEntropy));
    }

    /**
     * The file ranges of the sections' raw data that {@link #parse} computes the entropy of: each section's
     * {@code [PointerToRawData, PointerToRawData + SizeOfRawData)}, cut at the end of the file, in section table
     * order, empty ones left out. Reads only the headers; empty when they cannot be read (then {@link #parse} reports
     * why).
     */
    public static List<ByteRange> sectionData(ByteView data) {
        try {
            if (data.size() < 64 || data.u16(0, "e_magic") != MZ) {
                return List.of();
            }
            long coff = data.u32(0x3c, "e_lfanew") + 4;
            int count = Math.min(data.u16(coff + 2, "NumberOfSections"), MAX_SECTIONS);
            long table = coff + COFF_HEADER_SIZE + data.u16(coff + 16, "SizeOfOptionalHeader");
            List<ByteRange> ranges = new ArrayList<>();
            for (int i = 0; i < count && data.has(table + (long) SECTION_HEADER_SIZE * i, SECTION_HEADER_SIZE); i++) {
                long at = table + (long) SECTION_HEADER_SIZE * i;
                ByteRange raw = rawData(data, at);
                if (!raw.isEmpty()) {
                    ranges.add(raw);
                }
            }
            return List.copyOf(ranges);
        } catch (TruncatedException e) {
            return List.of();
        }
    }

    /** The part of the section's raw data (section header at {@code at}) that lies inside the file. */
    private static ByteRange rawData(ByteView data, long at) throws TruncatedException {
        long sizeOfRawData = data.u32(at + 16, "SizeOfRawData");
        long pointerToRawData = data.u32(at + 20, "PointerToRawData");
        return new ByteRange(pointerToRawData, Math.max(0, Math.min(sizeOfRawData, data.size() - pointerToRawData)));
    }

    private Optional<DataDirectory> directory(int index) {
        return index < dataDirectories.size() ? Optional.of(dataDirectories.get(index)) : Optional.empty();
    }

    private static List<PeSection> readSections(
            ByteView data,
            long table,
            int count,
            long symbolTable,
            long symbolCount,
            Map<ByteRange, Double> knownEntropy,
            Anomalies found)
            throws TruncatedException {
        if (count == 0) {
            found.add(PeAnomaly.Kind.SECTION, table, "the image has no sections");
        }
        int wanted = count;
        if (count > MAX_SECTIONS) {
            found.add(
                    PeAnomaly.Kind.LIMIT,
                    table,
                    "NumberOfSections " + count + " is more than " + MAX_SECTIONS + "; only " + MAX_SECTIONS
                            + " are read");
            wanted = MAX_SECTIONS;
        }
        long fit = Math.max(0, data.size() - table) / SECTION_HEADER_SIZE;
        if (fit < wanted) {
            found.add(
                    PeAnomaly.Kind.TRUNCATED,
                    table,
                    "the section table declares " + wanted + " sections but only " + fit + " fit in the file");
            wanted = (int) fit;
        }
        // The COFF string table follows the symbol table; images rarely have one, but mingw's do.
        long stringTable = symbolTable == 0 ? -1 : symbolTable + COFF_SYMBOL_SIZE * symbolCount;
        List<PeSection> sections = new ArrayList<>(wanted);
        for (int i = 0; i < wanted; i++) {
            long at = table + (long) SECTION_HEADER_SIZE * i;
            String name = sectionName(data, at, stringTable);
            long virtualSize = data.u32(at + 8, "VirtualSize");
            long virtualAddress = data.u32(at + 12, "VirtualAddress");
            long sizeOfRawData = data.u32(at + 16, "SizeOfRawData");
            long pointerToRawData = data.u32(at + 20, "PointerToRawData");
            long characteristics = data.u32(at + 36, "Characteristics");
            double entropy = 0;
            if (sizeOfRawData > 0) {
                // The same range sectionData gives, so that an entropy measured from it is found by that key.
                ByteRange raw = rawData(data, at);
                long available = raw.length();
                if (available < sizeOfRawData) {
                    found.add(
                            PeAnomaly.Kind.SECTION,
                            at + 16,
                            "section " + name + " raw data [0x" + Long.toHexString(pointerToRawData) + ", 0x"
                                    + Long.toHexString(pointerToRawData + sizeOfRawData)
                                    + ") runs past the end of the file");
                }
                if (available > 0) {
                    Double known = knownEntropy.get(raw);
                    entropy = known != null ? known : Entropy.of(data.segment().asSlice(raw.offset(), raw.length()));
                }
            }
            sections.add(new PeSection(
                    name, virtualAddress, virtualSize, pointerToRawData, sizeOfRawData, characteristics, entropy));
        }
        return List.copyOf(sections);
    }

    /** True for a section name of the form {@code /123}: a slash and one to seven decimal digits. */
    private static boolean isStringTableReference(String name) {
        if (name.length() < 2 || name.length() > 8 || name.charAt(0) != '/') {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String sectionName(ByteView data, long at, long stringTable) throws TruncatedException {
        // Eight bytes, NUL-padded; a name of all eight has no NUL. The caller has checked that the header is in the
        // file.
        String name = data.asciiz(at, 8, "section Name");
        // "/123" names an offset in the COFF string table; anything else is kept as written.
        if (stringTable >= 0 && isStringTableReference(name)) {
            long entry = stringTable + Long.parseLong(name.substring(1));
            if (data.has(entry, 1)) {
                return data.asciiz(entry, MAX_NAME_LENGTH, "section long name");
            }
        }
        return name;
    }

    /** The COFF symbol table and the string table after it, which mingw and Wine images keep after the sections. */
    private static Optional<ByteRange> readCoffSymbolTable(
            ByteView data, long field, long pointer, long count, Anomalies found) throws TruncatedException {
        if (pointer == 0) {
            return Optional.empty();
        }
        long symbolsEnd = pointer + COFF_SYMBOL_SIZE * count;
        if (symbolsEnd > data.size()) {
            found.add(
                    PeAnomaly.Kind.HEADER,
                    field,
                    "COFF symbol table [0x" + Long.toHexString(pointer) + ", 0x" + Long.toHexString(symbolsEnd)
                            + ") runs past the end of the file");
            return pointer < data.size() ? Optional.of(ByteRange.between(pointer, data.size())) : Optional.empty();
        }
        // The string table's first 4 bytes give its size, those 4 bytes included.
        long end = symbolsEnd;
        if (data.has(symbolsEnd, 4)) {
            long stringsEnd = symbolsEnd + Math.max(4, data.u32(symbolsEnd, "COFF string table size"));
            if (stringsEnd > data.size()) {
                found.add(
                        PeAnomaly.Kind.HEADER,
                        symbolsEnd,
                        "COFF string table runs past the end of the file to 0x" + Long.toHexString(stringsEnd));
            }
            end = Math.min(stringsEnd, data.size());
        }
        return Optional.of(ByteRange.between(pointer, end));
    }

    private static long computeImageEnd(long fileSize, long sizeOfHeaders, List<PeSection> sections) {
        long end = sizeOfHeaders;
        for (PeSection s : sections) {
            if (s.sizeOfRawData() > 0) {
                end = Math.max(end, s.pointerToRawData() + s.sizeOfRawData());
            }
        }
        return Math.min(end, fileSize);
    }

    private static List<ByteRange> computeDigestRanges(
            long fileSize, long checkSumOffset, Optional<Long> certDirEntry, Optional<CertificateTable> table) {
        List<ByteRange> ranges = new ArrayList<>(4);
        addRange(ranges, 0, checkSumOffset);
        if (certDirEntry.isEmpty()) {
            addRange(ranges, checkSumOffset + 4, fileSize);
            return List.copyOf(ranges);
        }
        long entry = certDirEntry.get();
        addRange(ranges, checkSumOffset + 4, entry);
        long afterEntry = entry + 8;
        Optional<CertificateTable> usable =
                table.filter(t -> t.offset() >= afterEntry && t.offset() <= fileSize && t.declaredSize() > 0);
        if (usable.isEmpty()) {
            addRange(ranges, afterEntry, fileSize);
        } else {
            CertificateTable t = usable.get();
            addRange(ranges, afterEntry, t.offset());
            addRange(ranges, Math.min(fileSize, t.offset() + t.declaredSize()), fileSize);
        }
        return List.copyOf(ranges);
    }

    private static void addRange(List<ByteRange> ranges, long start, long end) {
        if (end > start) {
            ranges.add(ByteRange.between(start, end));
        }
    }

    /** True for a PE32+ (64-bit) image, false for PE32. */
    public boolean pe32Plus() {
        return pe32Plus;
    }

    /** The COFF header's Machine field ({@code IMAGE_FILE_MACHINE_*}). */
    public int machine() {
        return machine;
    }

    /** The machine as a short name: {@code amd64}, {@code i386}, {@code arm64}, {@code arm}, or {@code unknown-0x…}. */
    public String machineName() {
        return switch (machine) {
            case 0x8664 -> "amd64";
            case 0x014c -> "i386";
            case 0xaa64 -> "arm64";
            case 0xa641 -> "arm64ec";
            case 0x01c0, 0x01c2, 0x01c4 -> "arm";
            case 0x0200 -> "ia64";
            default -> "unknown-0x" + Integer.toHexString(machine);
        };
    }

    /** True when the COFF characteristics carry IMAGE_FILE_DLL. */
    public boolean dll() {
        return (characteristics & FILE_DLL) != 0;
    }

    /** The COFF header's TimeDateStamp: seconds since 1970 (or, for reproducible builds, a hash). */
    public long timeDateStamp() {
        return timeDateStamp;
    }

    /** The COFF header's Characteristics ({@code IMAGE_FILE_*}). */
    public int characteristics() {
        return characteristics;
    }

    /** The COFF header's NumberOfSections, as declared (see {@link #sections()} for those read). */
    public int numberOfSections() {
        return numberOfSections;
    }

    /** The COFF header's SizeOfOptionalHeader. */
    public int sizeOfOptionalHeader() {
        return sizeOfOptionalHeader;
    }

    /** The file offset of the {@code PE\0\0} signature ({@code e_lfanew}). */
    public long peHeaderOffset() {
        return peHeaderOffset;
    }

    /** The optional header's Subsystem ({@code IMAGE_SUBSYSTEM_*}: 2 GUI, 3 console, 10 EFI application, ...). */
    public int subsystem() {
        return subsystem;
    }

    /** The optional header's DllCharacteristics ({@code IMAGE_DLLCHARACTERISTICS_*}). */
    public int dllCharacteristics() {
        return dllCharacteristics;
    }

    /** AddressOfEntryPoint, an RVA (0 for a DLL without one). */
    public long entryPoint() {
        return entryPoint;
    }

    /** ImageBase; for PE32+ an unsigned 64-bit value. */
    public long imageBase() {
        return imageBase;
    }

    public long sectionAlignment() {
        return sectionAlignment;
    }

    public long fileAlignment() {
        return fileAlignment;
    }

    public long sizeOfImage() {
        return sizeOfImage;
    }

    public long sizeOfHeaders() {
        return sizeOfHeaders;
    }

    /** The CheckSum field's value. */
    public long checkSum() {
        return checkSum;
    }

    /** The file offset of the 4-byte CheckSum field, which the Authenticode digest skips. */
    public long checkSumOffset() {
        return checkSumOffset;
    }

    /** NumberOfRvaAndSizes as declared; only the first 16 directories are read. */
    public long numberOfRvaAndSizes() {
        return numberOfRvaAndSizes;
    }

    /** The data directories read: min(NumberOfRvaAndSizes, 16) entries, in index order. */
    public List<DataDirectory> dataDirectories() {
        return dataDirectories;
    }

    /**
     * The file offset of the 8-byte certificate table directory entry (index 4), which the Authenticode digest skips;
     * empty when NumberOfRvaAndSizes is below 5.
     */
    public OptionalLong certificateDirectoryOffset() {
        return directory(DataDirectory.CERTIFICATE)
                .map(d -> OptionalLong.of(d.entryOffset()))
                .orElse(OptionalLong.empty());
    }

    /** The section table entries read, in file order. */
    public List<PeSection> sections() {
        return sections;
    }

    /** The file offset of {@code rva} through the section table, empty when no byte of the file is mapped there. */
    public OptionalLong rvaToOffset(long rva) {
        long offset = new AddressMap(sections, sizeOfHeaders, data.size()).toOffset(rva);
        return offset == AddressMap.UNMAPPED ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /** Imported functions: first the import directory, then the delay-load import directory, in table order. */
    public List<PeImport> imports() {
        return imports;
    }

    /** Exported functions in ordinal order (address table order). */
    public List<PeExport> exports() {
        return exports;
    }

    /** The first RT_VERSION resource's VS_VERSIONINFO, when there is one and it can be read. */
    public Optional<VersionInfo> versionInfo() {
        return versionInfo;
    }

    /**
     * The end of the image on disk: max(SizeOfHeaders, max over sections with raw data of PointerToRawData +
     * SizeOfRawData), clamped to the file size.
     */
    public long imageEnd() {
        return imageEnd;
    }

    /** The offset of the overlay, the data after {@link #imageEnd()}: equal to {@link #imageEnd()}. */
    public long overlayOffset() {
        return imageEnd;
    }

    /** The overlay's length, certificate table included; 0 when the file ends with the image. */
    public long overlayLength() {
        return data.size() - imageEnd;
    }

    /**
     * The parts of the overlay that are not inside the certificate table's declared extent: data appended after the
     * image that no Authenticode signature accounts for (the certificate table itself is covered by
     * {@link #certificateTable()}).
     */
    public List<ByteRange> overlayOutsideCertificateTable() {
        if (overlayLength() == 0) {
            return List.of();
        }
        List<ByteRange> overlay = List.of(ByteRange.between(imageEnd, data.size()));
        return certificateTable.map(t -> subtract(overlay, t.range())).orElse(overlay);
    }

    /**
     * The COFF symbol table and the string table after it, where {@code PointerToSymbolTable} says (clamped to the
     * file): deprecated for images, but mingw-w64 and Wine builds that are not stripped keep them after the last
     * section, so they are part of the overlay without being hidden data.
     */
    public Optional<ByteRange> coffSymbolTable() {
        return coffSymbolTable;
    }

    /**
     * The parts of the overlay that no header accounts for: not the certificate table's declared extent and not the
     * COFF symbol and string tables. This is data appended to the image, such as an installer payload or something
     * hidden.
     */
    public List<ByteRange> unexplainedOverlay() {
        List<ByteRange> ranges = overlayOutsideCertificateTable();
        if (coffSymbolTable.isPresent()) {
            ranges = subtract(ranges, coffSymbolTable.get());
        }
        return ranges;
    }

    private static List<ByteRange> subtract(List<ByteRange> ranges, ByteRange cut) {
        List<ByteRange> out = new ArrayList<>();
        for (ByteRange r : ranges) {
            addRange(out, r.offset(), Math.min(r.end(), cut.offset()));
            addRange(out, Math.max(r.offset(), cut.end()), r.end());
        }
        return List.copyOf(out);
    }

    /** The attribute certificate table, when data directory 4 points at one inside the file. */
    public Optional<CertificateTable> certificateTable() {
        return certificateTable;
    }

    /**
     * The byte ranges an Authenticode signature's image digest covers ("Windows Authenticode Portable Executable
     * Signature Format", section "Calculating the PE Image Hash"), in file order, as Windows and osslsigncode compute
     * it for a signed file:
     *
     * <ol>
     *   <li>{@code [0, checkSumOffset)}: everything up to the optional header's CheckSum field (skipped);
     *   <li>{@code [checkSumOffset + 4, certDirEntryOffset)}: up to the certificate table directory entry (skipped);
     *   <li>{@code [certDirEntryOffset + 8, certTableOffset)}: the rest of the headers, the sections and any data
     *       before the certificate table;
     *   <li>{@code [certTableEnd, fileEnd)}: data after the certificate table, if any (the spec's "extra data"; the
     *       table itself is never hashed).
     * </ol>
     *
     * <p>Hashing the file linearly equals the spec's header-then-sections-sorted-by-PointerToRawData order for every
     * well-formed image, and is what the signing tools produce. Without a certificate table (or when directory 4 points
     * outside the file or into the headers) the last range runs from the directory entry to the end of the file; with
     * fewer than 5 data directories, from the CheckSum field to the end of the file. Empty ranges are omitted.
     */
    public List<ByteRange> authenticodeDigestRanges() {
        return digestRanges;
    }

    /** Feeds {@link #authenticodeDigestRanges()} to {@code md}, in order. */
    public void digest(MessageDigest md) {
        Objects.requireNonNull(md, "md");
        for (ByteRange r : digestRanges) {
            // Chunks keep each ByteBuffer under 2 GiB; asByteBuffer does not copy.
            for (long at = r.offset(); at < r.end(); at += DIGEST_CHUNK) {
                long n = Math.min(DIGEST_CHUNK, r.end() - at);
                ByteBuffer buffer = data.segment().asSlice(at, n).asByteBuffer();
                md.update(buffer);
            }
        }
    }

    /** Problems found that did not stop the parse, in the order seen. */
    public List<PeAnomaly> anomalies() {
        return anomalies;
    }

    /** The bytes this file was parsed from. */
    public ByteView data() {
        return data;
    }
}
