package dev.tollgate.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * Collects the names of executables and libraries that a file's strings mention: the trojanized 3CX
 * {@code ffmpeg.dll} named its sibling {@code d3dcompiler_47.dll} to find the payload hidden there. Only the file name
 * is kept (a path's directories are dropped), lower-case. At most {@link #MAX_NAMES} names per file. The strings are
 * printable ASCII, as {@link StringScanner} delivers them, and are read as bytes: a {@code String} is made only of a
 * name found. Not thread-safe: one collector per file.
 */
final class FileNameCollector {

    /** Bound on the names kept for one file. */
    static final int MAX_NAMES = 512;

    /** Longest file name considered: longer runs are not names a loader would be given. */
    private static final int MAX_NAME_LENGTH = 128;

    private static final Set<String> EXTENSIONS =
            Set.of("dll", "exe", "sys", "ocx", "cpl", "drv", "scr", "efi", "so", "dylib", "node");

    /** {@link #EXTENSIONS} as {@link #extensionKey} gives them, sorted. */
    private static final long[] EXTENSION_KEYS = EXTENSIONS.stream()
            .mapToLong(e -> extensionKey(e.getBytes(StandardCharsets.US_ASCII), 0, e.length()))
            .sorted()
            .toArray();

    private final Set<String> names = new TreeSet<>();

    /** Looks for file names in one string of printable ASCII (see {@link #accept(byte[], int, int)}). */
    void accept(String s) {
        byte[] text = s.getBytes(StandardCharsets.ISO_8859_1);
        accept(text, 0, text.length);
    }

    /**
     * Looks for file names in one string of printable ASCII, {@code text[offset, offset + length)}, one character per
     * byte. The bytes are not kept.
     */
    void accept(byte[] text, int offset, int length) {
        int n = offset + length;
        for (int dot = offset; dot < n; dot++) {
            if (text[dot] != '.') {
                continue;
            }
            if (names.size() >= MAX_NAMES) {
                return;
            }
            int end = dot + 1;
            while (end < n && end - dot <= 6 && isLetterOrDigit(text[end])) {
                end++;
            }
            if (end < n && isNameChar(text[end]) && text[end] != '.') {
                continue; // the extension runs on: "foo.dllx"
            }
            if (Arrays.binarySearch(EXTENSION_KEYS, extensionKey(text, dot + 1, end)) < 0) {
                continue;
            }
            int start = dot;
            while (start > offset && isNameChar(text[start - 1]) && dot - start < MAX_NAME_LENGTH) {
                start--;
            }
            if (start < dot) {
                names.add(lowerCase(text, start, end));
            }
        }
    }

    /** The names seen, sorted. */
    Set<String> names() {
        return names;
    }

    /**
     * The lower-case letters of {@code text[from, to)} packed into a long, one byte each, or -1 when they are more than
     * eight or not all letters: then they are no extension in {@link #EXTENSIONS}, which are all letters.
     */
    private static long extensionKey(byte[] text, int from, int to) {
        if (to - from > Long.BYTES) {
            return -1;
        }
        long key = 0;
        for (int i = from; i < to; i++) {
            int c = text[i] | 0x20; // the lower case of an ASCII letter; no other byte becomes one
            if (c < 'a' || c > 'z') {
                return -1;
            }
            key = key << 8 | c;
        }
        return key;
    }

    private static String lowerCase(byte[] text, int from, int to) {
        byte[] lower = Arrays.copyOfRange(text, from, to);
        for (int i = 0; i < lower.length; i++) {
            if (lower[i] >= 'A' && lower[i] <= 'Z') {
                lower[i] += 'a' - 'A';
            }
        }
        return new String(lower, StandardCharsets.ISO_8859_1);
    }

    // Byte classes as tables: a lookup is a few bytecodes for the JIT compiler to inline, a chain of tests dozens.
    private static final boolean[] LETTER_OR_DIGIT = new boolean[256];
    private static final boolean[] NAME_CHAR = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            LETTER_OR_DIGIT[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            NAME_CHAR[c] = LETTER_OR_DIGIT[c] || c == '_' || c == '-' || c == '.';
        }
    }

    private static boolean isLetterOrDigit(byte c) {
        return LETTER_OR_DIGIT[c & 0xff];
    }

    private static boolean isNameChar(byte c) {
        return NAME_CHAR[c & 0xff];
    }
}
