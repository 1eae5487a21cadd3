/**
 * A defensive reader of Portable Executable images (Microsoft "PE Format" specification, formerly the "Microsoft
 * Portable Executable and Common Object File Format Specification"), for files that may be hostile.
 *
 * <p>{@link dev.tollgate.formats.pe.PeFile#parse} is the entry point. It reads the DOS, COFF and optional headers
 * (PE32 and PE32+), the section table, the import and delay-load import directories, the export directory, the
 * version resource, the overlay and the attribute certificate table, and computes the byte ranges an Authenticode
 * image digest covers. It throws {@link dev.tollgate.formats.pe.PeFormatException} only when the headers cannot be
 * read; every later problem is a {@link dev.tollgate.formats.pe.PeAnomaly} in the result.
 *
 * <p>Every count and size read from the file is bounded by a constant on {@code PeFile} ({@code MAX_SECTIONS},
 * {@code MAX_IMPORT_DLLS}, {@code MAX_FUNCTIONS_PER_DLL}, {@code MAX_IMPORTS}, {@code MAX_EXPORTS},
 * {@code MAX_NAME_LENGTH}, {@code MAX_RESOURCE_DEPTH}, {@code MAX_RESOURCE_ENTRIES},
 * {@code MAX_VERSION_RESOURCE_SIZE}, {@code MAX_CERTIFICATE_ENTRIES}, {@code MAX_ANOMALIES}); reaching one is an
 * anomaly of kind {@code LIMIT}. The resource walk visits each directory once, so cycles end. All fields are read
 * unsigned.
 */
package dev.tollgate.formats.pe;
