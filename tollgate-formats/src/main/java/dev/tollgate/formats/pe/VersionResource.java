package dev.tollgate.formats.pe;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.TruncatedException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Parses a {@code VS_VERSIONINFO} resource (Win32 reference: "VS_VERSIONINFO", "VS_FIXEDFILEINFO", "StringFileInfo",
 * "StringTable", "String"). Every node is a block: {@code wLength}, {@code wValueLength}, {@code wType}, a
 * NUL-terminated UTF-16LE key, padding to 4 bytes, the value, padding to 4 bytes, then child blocks up to
 * {@code wLength}.
 *
 * <p>Each block must lie within its parent and be at least 6 bytes long, so the walk always moves forward and ends.
 * String values are read up to their NUL or the end of their block; {@code wValueLength} is unreliable in real files
 * (some tools count bytes, some characters) and only places the children of binary blocks.
 */
final class VersionResource {

    private static final long FIXED_FILE_INFO_SIGNATURE = 0xFEEF04BDL;
    private static final int FIXED_FILE_INFO_SIZE = 52;
    private static final int BLOCK_HEADER_SIZE = 6;
    private static final int TEXT = 1;
    /** UTF-16 code units copied at a time while looking for the NUL that ends a key or value. */
    private static final int TEXT_WINDOW = 32;

    private record Block(long start, long end, int valueLength, int type, String key, long valueStart) {

        /** Where the children start: after the value, aligned to 4. */
        long childrenStart() {
            long valueBytes = type == TEXT ? 2L * valueLength : valueLength;
            return Math.min(end, align4(valueStart + valueBytes));
        }
    }

    private VersionResource() {}

    static Optional<VersionInfo> read(MappedImage image, ResourceDirectory.Leaf leaf) {
        long at = image.offset(leaf.dataRva());
        if (at == AddressMap.UNMAPPED) {
            image.anomalies.add(
                    PeAnomaly.Kind.UNMAPPED_RVA,
                    leaf.entryOffset(),
                    "version resource RVA 0x" + Long.toHexString(leaf.dataRva()) + " is not in the file");
            return Optional.empty();
        }
        long size = leaf.size();
        if (size > PeFile.MAX_VERSION_RESOURCE_SIZE) {
            image.anomalies.add(
                    PeAnomaly.Kind.LIMIT,
                    leaf.entryOffset(),
                    "version resource of " + size + " bytes is larger than " + PeFile.MAX_VERSION_RESOURCE_SIZE
                            + "; only the first " + PeFile.MAX_VERSION_RESOURCE_SIZE + " are read");
            size = PeFile.MAX_VERSION_RESOURCE_SIZE;
        }
        if (size > image.data.size() - at) {
            image.anomalies.add(
                    PeAnomaly.Kind.TRUNCATED,
                    at,
                    "version resource of " + size + " bytes runs past the end of the file");
            size = image.data.size() - at;
        }
        try {
            ByteView view = image.data.slice(at, size, "version resource");
            return parse(view, image.anomalies);
        } catch (TruncatedException e) {
            image.anomalies.add(PeAnomaly.Kind.RESOURCE, at, "version resource: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<VersionInfo> parse(ByteView view, Anomalies anomalies) throws TruncatedException {
        Block root = block(view, 0, view.size(), anomalies);
        if (root == null) {
            return Optional.empty();
        }
        if (!root.key().equals("VS_VERSION_INFO")) {
            anomalies.add(
                    PeAnomaly.Kind.RESOURCE,
                    view.base(),
                    "version resource key is \"" + root.key() + "\", not VS_VERSION_INFO");
            return Optional.empty();
        }
        Optional<String> fileVersion = Optional.empty();
        Optional<String> productVersion = Optional.empty();
        long fixed = root.valueStart();
        if (root.valueLength() >= FIXED_FILE_INFO_SIZE && view.has(fixed, FIXED_FILE_INFO_SIZE)) {
            long signature = view.u32(fixed, "VS_FIXEDFILEINFO dwSignature");
            if (signature == FIXED_FILE_INFO_SIGNATURE) {
                fileVersion = Optional.of(version(view.u32(fixed + 8, "dwFileVersionMS"), view.u32(fixed + 12, "LS")));
                productVersion =
                        Optional.of(version(view.u32(fixed + 16, "dwProductVersionMS"), view.u32(fixed + 20, "LS")));
            } else {
                anomalies.add(
                        PeAnomaly.Kind.RESOURCE,
                        view.base() + fixed,
                        "VS_FIXEDFILEINFO signature is 0x" + Long.toHexString(signature) + ", not 0xfeef04bd");
            }
        }
        Map<String, String> strings = new LinkedHashMap<>();
        for (long at = root.childrenStart(); at < root.end(); ) {
            Block child = block(view, at, root.end(), anomalies);
            if (child == null) {
                break;
            }
            if (child.key().equals("StringFileInfo")) {
                readStringFileInfo(view, child, strings, anomalies);
            }
            at = align4(child.end());
        }
        return Optional.of(new VersionInfo(fileVersion, productVersion, strings));
    }

    private static void readStringFileInfo(ByteView view, Block info, Map<String, String> strings, Anomalies anomalies)
            throws TruncatedException {
        // StringFileInfo has no value; its children are StringTables (one per language), whose children are Strings.
        for (long at = align4(info.valueStart()); at < info.end(); ) {
            Block table = block(view, at, info.end(), anomalies);
            if (table == null) {
                return;
            }
            for (long s = align4(table.valueStart()); s < table.end(); ) {
                Block string = block(view, s, table.end(), anomalies);
                if (string == null) {
                    break;
                }
                strings.putIfAbsent(string.key(), utf16z(view, string.valueStart(), string.end()));
                s = align4(string.end());
            }
            at = align4(table.end());
        }
    }

    /** The block at {@code start}, which must end by {@code limit}; null (with an anomaly) when it is malformed. */
    private static Block block(ByteView view, long start, long limit, Anomalies anomalies) throws TruncatedException {
        if (limit - start < BLOCK_HEADER_SIZE) {
            return null; // Trailing padding.
        }
        int length = view.u16(start, "wLength");
        if (length == 0 && start > 0) {
            return null; // Zero padding after the last child, written by some resource compilers.
        }
        if (length < BLOCK_HEADER_SIZE || length > limit - start) {
            anomalies.add(
                    PeAnomaly.Kind.RESOURCE,
                    view.base() + start,
                    "version block wLength " + length + " does not fit in its parent (" + (limit - start)
                            + " bytes left)");
            return null;
        }
        long end = start + length;
        int valueLength = view.u16(start + 2, "wValueLength");
        int type = view.u16(start + 4, "wType");
        long keyEnd = textEnd(view, start + BLOCK_HEADER_SIZE, end);
        String key = new String(
                view.bytes(start + BLOCK_HEADER_SIZE, (int) (keyEnd - start - BLOCK_HEADER_SIZE), "szKey"),
                StandardCharsets.UTF_16LE);
        long valueStart = Math.min(end, align4(keyEnd + 2));
        return new Block(start, end, valueLength, type, key, valueStart);
    }

    /** The UTF-16LE text at {@code from}, up to its NUL or {@code to}. */
    private static String utf16z(ByteView view, long from, long to) throws TruncatedException {
        long at = textEnd(view, from, to);
        return new String(view.bytes(from, (int) (at - from), "version string"), StandardCharsets.UTF_16LE);
    }

    /**
     * Where the UTF-16LE text at {@code from} ends: at its NUL, or after its last whole code unit before {@code to}
     * (which is inside the view). Keys and values are short: a small copy costs less than a read per code unit.
     */
    private static long textEnd(ByteView view, long from, long to) {
        long at = from;
        while (at + 1 < to) {
            char[] units = view.u16s(at, (int) Math.min(TEXT_WINDOW, (to - at) / 2));
            if (units.length == 0) {
                break; // Only if to were past the end of the view.
            }
            for (char unit : units) {
                if (unit == 0) {
                    return at;
                }
                at += 2;
            }
        }
        return at;
    }

    private static String version(long ms, long ls) {
        return (ms >>> 16) + "." + (ms & 0xffff) + "." + (ls >>> 16) + "." + (ls & 0xffff);
    }

    private static long align4(long offset) {
        return (offset + 3) & ~3L;
    }
}
