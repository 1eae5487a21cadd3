package dev.tollgate.formats.pe;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.TruncatedException;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the attribute certificate table (PE/COFF specification, "The Attribute Certificate Table (Image Only)"): a
 * sequence of {@code WIN_CERTIFICATE} entries, each {@code dwLength} bytes long and starting at the previous entry's
 * start plus {@code dwLength} rounded up to 8.
 */
final class CertificateTableReader {

    private CertificateTableReader() {}

    /**
     * The table data directory {@code dir} points at, or empty (with an anomaly) when it points at nothing in the
     * file. {@code imageEnd} is where the sections end; a table starting before it overlaps the image.
     */
    static Optional<CertificateTable> read(ByteView data, DataDirectory dir, long imageEnd, Anomalies found) {
        long offset = dir.virtualAddress();
        long size = dir.size();
        if (offset == 0 && size == 0) {
            return Optional.empty();
        }
        long fileSize = data.size();
        if (offset == 0 || size == 0 || offset >= fileSize) {
            found.add(
                    PeAnomaly.Kind.CERTIFICATE_TABLE_LOCATION,
                    dir.entryOffset(),
                    "certificate table directory [offset 0x" + Long.toHexString(offset) + ", size 0x"
                            + Long.toHexString(size) + "] points at nothing in the file (size 0x"
                            + Long.toHexString(fileSize) + ")");
            return Optional.empty();
        }
        if (offset + size > fileSize) {
            found.add(
                    PeAnomaly.Kind.CERTIFICATE_TABLE_LOCATION,
                    dir.entryOffset(),
                    "certificate table [0x" + Long.toHexString(offset) + ", 0x" + Long.toHexString(offset + size)
                            + ") runs past the end of the file at 0x" + Long.toHexString(fileSize));
        }
        if (offset < dir.entryOffset() + 8) {
            found.add(
                    PeAnomaly.Kind.CERTIFICATE_TABLE_LOCATION,
                    dir.entryOffset(),
                    "certificate table at 0x" + Long.toHexString(offset) + " overlaps the PE headers");
        } else if (offset < imageEnd) {
            found.add(
                    PeAnomaly.Kind.CERTIFICATE_TABLE_LOCATION,
                    dir.entryOffset(),
                    "certificate table at 0x" + Long.toHexString(offset) + " overlaps the image, which ends at 0x"
                            + Long.toHexString(imageEnd));
        }
        if ((offset & 7) != 0) {
            found.add(
                    PeAnomaly.Kind.CERTIFICATE_TABLE_LOCATION,
                    dir.entryOffset(),
                    "certificate table at 0x" + Long.toHexString(offset) + " is not 8-byte aligned");
        }

        long end = Math.min(offset + size, fileSize);
        List<CertificateEntry> entries = new ArrayList<>();
        List<ByteRange> uncovered = new ArrayList<>();
        long at = offset;
        try {
            while (at < end) {
                if (entries.size() == PeFile.MAX_CERTIFICATE_ENTRIES) {
                    found.add(
                            PeAnomaly.Kind.LIMIT,
                            at,
                            "more than " + PeFile.MAX_CERTIFICATE_ENTRIES + " certificate entries; the rest of the"
                                    + " table is not read");
                    uncovered.add(ByteRange.between(at, end));
                    break;
                }
                if (end - at < CertificateEntry.HEADER_SIZE) {
                    // Too short for a header: trailing bytes, reported as data whether zero or not.
                    uncovered.add(ByteRange.between(at, end));
                    break;
                }
                long length = data.u32(at, "WIN_CERTIFICATE dwLength");
                if (length < CertificateEntry.HEADER_SIZE) {
                    // Zero fill after the last entry is padding some signers leave; anything else is a lie.
                    if (!allZero(data, at, end)) {
                        found.add(
                                PeAnomaly.Kind.CERTIFICATE_ENTRY,
                                at,
                                "WIN_CERTIFICATE dwLength " + length + " is less than its 8-byte header");
                    }
                    uncovered.add(ByteRange.between(at, end));
                    break;
                }
                if (length > end - at) {
                    found.add(
                            PeAnomaly.Kind.CERTIFICATE_ENTRY,
                            at,
                            "WIN_CERTIFICATE dwLength " + length + " runs past the end of the table at 0x"
                                    + Long.toHexString(end) + " (" + (end - at) + " bytes left)");
                    uncovered.add(ByteRange.between(at, end));
                    break;
                }
                int revision = data.u16(at + 4, "WIN_CERTIFICATE wRevision");
                int type = data.u16(at + 6, "WIN_CERTIFICATE wCertificateType");
                ByteView content = data.slice(
                        at + CertificateEntry.HEADER_SIZE,
                        length - CertificateEntry.HEADER_SIZE,
                        "WIN_CERTIFICATE bCertificate");
                entries.add(new CertificateEntry(at, length, revision, type, content));
                long entryEnd = at + length;
                long next = at + roundUp8(length);
                long paddingEnd = Math.min(next, end);
                if (paddingEnd > entryEnd && !allZero(data, entryEnd, paddingEnd)) {
                    uncovered.add(ByteRange.between(entryEnd, paddingEnd));
                }
                at = next;
            }
        } catch (TruncatedException e) {
            // Every read above is inside [offset, end), inside the file; kept as an anomaly rather than a crash.
            found.add(PeAnomaly.Kind.TRUNCATED, at, e.getMessage());
            uncovered.add(ByteRange.between(at, end));
        }
        return Optional.of(new CertificateTable(offset, size, entries, uncovered));
    }

    private static long roundUp8(long length) {
        return (length + 7) & ~7L;
    }

    private static boolean allZero(ByteView data, long from, long to) {
        for (long i = from; i < to; i++) {
            if (data.segment().get(ValueLayout.JAVA_BYTE, i) != 0) {
                return false;
            }
        }
        return true;
    }
}
