/**
 * A defensive reader of NSIS installers (Nullsoft Scriptable Install System 2.x and 3.x), written from the layout
 * NSIS's own sources document ({@code Source/exehead/fileform.h}, {@code fileform.c}, {@code Source/fileform.cpp})
 * and checked against installers built by Debian's makensis 3.08 (fixtures/nsis).
 *
 * <p>{@link dev.tollgate.formats.nsis.NsisInstaller#parse} is the entry point: it finds the
 * {@link dev.tollgate.formats.nsis.NsisFirstHeader} where the stub looks for it, recognises the compression
 * ({@link dev.tollgate.formats.nsis.NsisCompression}: raw deflate, NSIS's own bzip2, LZMA; solid or not) by decoding
 * the {@link dev.tollgate.formats.nsis.NsisHeader}, and lists the files from the script's
 * {@link dev.tollgate.formats.nsis.NsisEntry File} instructions, their names rendered by
 * {@link dev.tollgate.formats.nsis.NsisStrings}. {@link dev.tollgate.formats.nsis.NsisDataBlock} then decodes the
 * items, front to back. Nothing is run and nothing is written.
 *
 * <p>Failures are typed: {@link dev.tollgate.formats.TruncatedException} when a structure runs past the data,
 * {@link dev.tollgate.formats.FormatException} when a value is wrong (both with the offset and the values), and
 * {@link dev.tollgate.formats.nsis.UnsupportedNsisException} for an NSIS build this reader does not know (another
 * header layout, an LZMA stream behind a BCJ filter flag, a dictionary above the limit). Limits are constants:
 * {@code NsisFirstHeader.MAX_HEADER_BYTES}, {@code NsisHeader.MAX_ENTRIES}, {@code NsisStrings.MAX_CHARS},
 * {@code NsisCompression.MAX_LZMA_DICTIONARY}, {@code NsisBzip2InputStream.MAX_BLOCK}. All fields are read unsigned.
 */
package dev.tollgate.formats.nsis;
