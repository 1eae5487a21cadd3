package dev.tollgate.formats.pe;

import java.util.Objects;

/**
 * Something wrong in a PE file that did not stop the parse: a structure is damaged, points outside the file, or
 * exceeds one of the parser's limits. The part of the file concerned is skipped or cut short; everything else is
 * still reported.
 *
 * @param kind what kind of problem this is
 * @param offset the file offset where it was seen (for a problem at an unmappable RVA: the offset of the field that
 *     holds the RVA)
 * @param message what is wrong, with the values read
 */
public record PeAnomaly(Kind kind, long offset, String message) {

    /** The kinds of anomaly, so callers can react to some without matching message text. */
    public enum Kind {
        /** A header field holds an impossible or inconsistent value (the header itself was still readable). */
        HEADER,
        /** The section table, or a section's raw data, is damaged or outside the file. */
        SECTION,
        /** An RVA does not map to any byte of the file. */
        UNMAPPED_RVA,
        /** A structure runs past the end of the file or of its container. */
        TRUNCATED,
        /** One of the parser's limits was hit; the rest of that structure was skipped. */
        LIMIT,
        /** A structure refers back to itself (for example a resource directory cycle). */
        LOOP,
        /** The import, delay-import or export directory is malformed. */
        IMPORT_EXPORT,
        /** The resource directory or the version resource is malformed. */
        RESOURCE,
        /** The certificate table directory points outside the file or overlaps the headers or sections. */
        CERTIFICATE_TABLE_LOCATION,
        /** A WIN_CERTIFICATE entry's length is too small or runs past the end of the table. */
        CERTIFICATE_ENTRY
    }

    public PeAnomaly {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        if (offset < 0) {
            throw new IllegalArgumentException("negative anomaly offset: " + offset);
        }
    }

    @Override
    public String toString() {
        return kind + " at 0x" + Long.toHexString(offset) + ": " + message;
    }
}
