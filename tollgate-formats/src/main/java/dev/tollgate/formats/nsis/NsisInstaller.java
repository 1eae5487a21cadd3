package dev.tollgate.formats.nsis;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An NSIS installer (Nullsoft Scriptable Install System, 2.x and 3.x): a PE stub followed by the installer data,
 * which the stub finds by its {@link NsisFirstHeader}. The data is one of
 *
 * <pre>
 * non-solid: first header | length | header (compressed when the top bit of length is set) | data block items
 * solid:     first header | one compressed stream of: length | header | data block items
 * then, unless the first header says otherwise, a CRC-32
 * </pre>
 *
 * The compressor ({@link NsisCompression}) is not recorded: it is recognised by the first bytes and confirmed by
 * decoding exactly {@code length_of_header} bytes that parse as an {@link NsisHeader}. The header's script gives the
 * installed files: each {@code File} instruction ({@link NsisEntry#EW_EXTRACTFILE}) names the file and the offset of
 * its item in the {@link NsisDataBlock}; the output directory is the one the last {@code SetOutPath} before it set
 * (entries are read in order, as the stub runs a section).
 */
public final class NsisInstaller {

    private static final long COMPRESSED = 0x80000000L;
    private static final long LENGTH_MASK = 0x7FFFFFFFL;

    /**
     * A file the installer writes.
     *
     * @param name the install path as the script wrote it, Windows separators ({@code $INSTDIR\bin\a.dll})
     * @param dataOffset the offset of its item in the data block
     * @param entry the index of its {@code File} instruction
     */
    public record File(String name, long dataOffset, int entry) {}

    /**
     * A {@code WriteUninstaller} instruction: the uninstaller's icons are the item at {@code dataOffset}, of
     * {@code iconBytes} bytes, and its own installer data (a first header flagged as an uninstaller, its header and
     * data block) is the next item.
     */
    public record Uninstaller(String name, long dataOffset, long iconBytes) {}

    private final ByteView file;
    private final NsisFirstHeader firstHeader;
    private final boolean solid;
    private final boolean headerCompressed;
    private final long dataStart;
    private final NsisHeader header;
    private final List<File> files;
    private final List<Uninstaller> uninstallers;
    private Optional<NsisCompression> compression;

    private NsisInstaller(
            ByteView file,
            NsisFirstHeader firstHeader,
            Optional<NsisCompression> compression,
            boolean solid,
            boolean headerCompressed,
            long dataStart,
            NsisHeader header,
            List<File> files,
            List<Uninstaller> uninstallers) {
        this.file = file;
        this.firstHeader = firstHeader;
        this.compression = compression;
        this.solid = solid;
        this.headerCompressed = headerCompressed;
        this.dataStart = dataStart;
        this.header = header;
        this.files = List.copyOf(files);
        this.uninstallers = List.copyOf(uninstallers);
    }

    /** True when {@code file} holds an NSIS first header where the stub would find one. */
    public static boolean detect(ByteView file) {
        return NsisFirstHeader.present(file);
    }

    /**
     * Finds the installer data in {@code file}, decodes and parses the header and lists the files.
     *
     * @throws UnsupportedNsisException for an NSIS build, layout or compression this reader does not decode
     * @throws FormatException when the installer data is truncated or malformed
     */
    public static NsisInstaller parse(ByteView file) throws FormatException {
        NsisFirstHeader first = NsisFirstHeader.find(file)
                .orElseThrow(() -> new FormatException(0, "no NSIS first header at any 512-byte boundary"));
        first.validate(file);
        ByteView payload =
                file.slice(first.payloadStart(), first.payloadEnd() - first.payloadStart(), "NSIS installer data");
        List<FormatException> failures = new ArrayList<>();
        long length = payload.u32(0, "NSIS header length");
        // Non-solid, stored header.
        if ((length & COMPRESSED) == 0 && length == first.headerLength() && payload.has(4, length)) {
            NsisHeader header = NsisHeader.parse(payload.slice(4, length, "NSIS header"));
            return create(file, first, Optional.empty(), false, false, first.payloadStart() + 4 + length, header);
        }
        // Non-solid, compressed header.
        long compressedLength = length & LENGTH_MASK;
        if ((length & COMPRESSED) != 0 && payload.has(4, compressedLength)) {
            ByteView stream = payload.slice(4, compressedLength, "NSIS compressed header");
            for (NsisCompression method : NsisCompression.candidates(stream, 0)) {
                Optional<byte[]> bytes = decodeHeader(method, stream, first, false, failures);
                if (bytes.isPresent()) {
                    NsisHeader header = NsisHeader.parse(ByteView.of(bytes.get()));
                    return create(
                            file,
                            first,
                            Optional.of(method),
                            false,
                            true,
                            first.payloadStart() + 4 + compressedLength,
                            header);
                }
            }
        }
        // Solid: one stream holding the length, the header and the data block.
        for (NsisCompression method : NsisCompression.candidates(payload, 0)) {
            Optional<byte[]> bytes = decodeHeader(method, payload, first, true, failures);
            if (bytes.isPresent()) {
                NsisHeader header = NsisHeader.parse(ByteView.of(bytes.get()));
                return create(file, first, Optional.of(method), true, true, -1, header);
            }
        }
        if (payload.has(0, 1 + NsisCompression.LZMA_HEADER)
                && payload.u8(0, "filter flag") <= 1
                && NsisCompression.looksLikeLzma(payload, 1)) {
            throw new UnsupportedNsisException(
                    first.payloadStart(), "NSIS LZMA stream behind a BCJ filter flag is not supported");
        }
        for (FormatException f : failures) {
            if (f instanceof UnsupportedNsisException u) {
                throw u;
            }
        }
        FormatException fail = new FormatException(
                first.payloadStart(),
                "NSIS header of " + first.headerLength() + " bytes does not decode as zlib, bzip2 or lzma, solid or"
                        + " not"
                        + (failures.isEmpty() ? "" : ": " + failures.getFirst().getMessage()));
        failures.forEach(fail::addSuppressed);
        throw fail;
    }

    /**
     * The header's bytes when {@code method} decodes them from {@code stream}: exactly {@code length_of_header}
     * bytes, after a 4-byte length equal to it when {@code solid}, and nothing after them otherwise.
     */
    private static Optional<byte[]> decodeHeader(
            NsisCompression method,
            ByteView stream,
            NsisFirstHeader first,
            boolean solid,
            List<FormatException> failures) {
        long at = stream.base();
        int headerLength = (int) first.headerLength();
        try (InputStream in = method.open(new NsisDataBlock.ViewStream(stream), at, headerLength + 5L)) {
            if (solid) {
                byte[] length = in.readNBytes(4);
                long declared = length.length < 4
                        ? -1
                        : Integer.toUnsignedLong((length[0] & 0xFF)
                                | (length[1] & 0xFF) << 8
                                | (length[2] & 0xFF) << 16
                                | (length[3] & 0xFF) << 24);
                if (declared != first.headerLength()) {
                    failures.add(new FormatException(
                            at,
                            "solid " + method.label() + " stream starts with header length " + declared
                                    + "; the first header says " + first.headerLength()));
                    return Optional.empty();
                }
            }
            byte[] header = in.readNBytes(headerLength);
            if (header.length < headerLength) {
                throw new EOFException(
                        method.label() + " header ends after " + header.length + " of " + headerLength + " bytes");
            }
            if (!solid && in.read() >= 0) {
                failures.add(new FormatException(
                        at,
                        method.label() + " header decodes to more than the " + headerLength
                                + " bytes the first header declares"));
                return Optional.empty();
            }
            return Optional.of(header);
        } catch (UnsupportedNsisException e) {
            failures.add(e);
        } catch (IOException e) {
            failures.add(new FormatException(
                    at, (solid ? "solid " : "") + method.label() + " header does not decode: " + e.getMessage(), e));
        }
        return Optional.empty();
    }

    private static NsisInstaller create(
            ByteView file,
            NsisFirstHeader first,
            Optional<NsisCompression> compression,
            boolean solid,
            boolean headerCompressed,
            long dataStart,
            NsisHeader header)
            throws FormatException {
        List<File> files = new ArrayList<>();
        List<Uninstaller> uninstallers = new ArrayList<>();
        String outputDirectory = "$OUTDIR";
        List<NsisEntry> entries = header.entries();
        for (int i = 0; i < entries.size(); i++) {
            NsisEntry e = entries.get(i);
            if (e.opcode() == NsisEntry.EW_CREATEDIR && e.parameter(1) != 0) {
                outputDirectory = header.strings().render(e.parameter(0));
            } else if (e.opcode() == NsisEntry.EW_EXTRACTFILE) {
                String name = header.strings().render(e.parameter(1));
                long offset = e.parameter(2);
                if (offset < 0) {
                    throw new FormatException(
                            first.payloadStart(),
                            "NSIS File instruction " + i + " (" + name + ") has the negative data offset " + offset);
                }
                files.add(new File(absolute(name) ? name : join(outputDirectory, name), offset, i));
            } else if (e.opcode() == NsisEntry.EW_WRITEUNINSTALLER && e.parameter(1) >= 0 && e.parameter(2) >= 0) {
                uninstallers.add(
                        new Uninstaller(header.strings().render(e.parameter(0)), e.parameter(1), e.parameter(2)));
            }
        }
        return new NsisInstaller(
                file, first, compression, solid, headerCompressed, dataStart, header, files, uninstallers);
    }

    /** What the stub's {@code validpathspec} accepts as a full path: a drive ({@code C:}) or a UNC path. */
    private static boolean absolute(String name) {
        return (name.length() >= 2 && name.charAt(1) == ':') || name.startsWith("\\\\");
    }

    private static String join(String directory, String name) {
        return directory.endsWith("\\") ? directory + name : directory + "\\" + name;
    }

    /** The installer's bytes. */
    public ByteView file() {
        return file;
    }

    public NsisFirstHeader firstHeader() {
        return firstHeader;
    }

    /**
     * The compressor, empty when nothing was compressed (or nothing yet: a stored header with compressed files is
     * recognised from the first compressed file).
     */
    public Optional<NsisCompression> compression() {
        return compression;
    }

    /** True when the header and the data block are one compressed stream ({@code SetCompressor /SOLID}). */
    public boolean solid() {
        return solid;
    }

    /** True when the header was compressed (false for {@code SetCompress off} and small headers). */
    public boolean headerCompressed() {
        return headerCompressed;
    }

    public NsisHeader header() {
        return header;
    }

    /** The files the script installs, in script order; several may share one data item. */
    public List<File> files() {
        return files;
    }

    /** The {@code WriteUninstaller} instructions (NSIS 3 numbering); only names items, never decides what is read. */
    public List<Uninstaller> uninstallers() {
        return uninstallers;
    }

    /**
     * The CRC-32 check the stub makes before it runs, when the first header asks for one: over the file from byte 512
     * (the stub skips its first chunk, where signing changes the PE checksum)
     * at 0, up to the 4 CRC bytes at the end of the installer data. Empty for {@code /NOCRC} installers and for
     * installer data without its stub (an uninstaller's item: its CRC covers the uninstaller the stub writes out).
     */
    public Optional<Crc> crc() {
        if (!firstHeader.hasCrc() || firstHeader.offset() < NsisFirstHeader.ALIGNMENT) {
            return Optional.empty();
        }
        long from = NsisFirstHeader.ALIGNMENT;
        long to = firstHeader.payloadEnd();
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        for (long at = from; at < to; at += CRC_CHUNK) {
            long n = Math.min(CRC_CHUNK, to - at);
            crc.update(file.segment().asSlice(at, n).asByteBuffer());
        }
        try {
            return Optional.of(new Crc(file.u32(to, "NSIS CRC-32"), crc.getValue()));
        } catch (dev.tollgate.formats.TruncatedException e) {
            throw new IllegalStateException("validated by the first header", e);
        }
    }

    /** The CRC-32 an installer stores and the one its bytes have. */
    public record Crc(long stored, long computed) {
        public boolean matches() {
            return stored == computed;
        }
    }

    private static final long CRC_CHUNK = 1L << 20;

    /** The data block. */
    public NsisDataBlock data() {
        return new NsisDataBlock(this);
    }

    /** Non-solid: where the data block starts in the file. */
    long dataStart() {
        return dataStart;
    }

    /**
     * The method of a compressed item: the header's, or when the header was stored, the one the first compressed
     * item shows (the stub has one decoder, so every item uses it).
     */
    NsisCompression itemCompression(ByteView item) {
        if (compression.isEmpty()) {
            compression = Optional.of(NsisCompression.candidates(item, 0).getFirst());
        }
        return compression.get();
    }
}
