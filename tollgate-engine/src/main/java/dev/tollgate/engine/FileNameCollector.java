package dev.tollgate.engine;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Collects the names of executables and libraries that a file's strings mention: the trojanized 3CX
 * {@code ffmpeg.dll} named its sibling {@code d3dcompiler_47.dll} to find the payload hidden there. Only the file name
 * is kept (a path's directories are dropped), lower-case. At most {@link #MAX_NAMES} names per file. Not thread-safe:
 * one collector per file.
 */
final class FileNameCollector {

    /** Bound on the names kept for one file. */
    static final int MAX_NAMES = 512;

    /** Longest file name considered: longer runs are not names a loader would be given. */
    private static final int MAX_NAME_LENGTH = 128;

    private static final Set<String> EXTENSIONS =
            Set.of("dll", "exe", "sys", "ocx", "cpl", "drv", "scr", "efi", "so", "dylib", "node");

    private final Set<String> names = new TreeSet<>();

    /** Looks for file names in one string. */
    void accept(String s) {
        for (int dot = s.indexOf('.'); dot >= 0 && names.size() < MAX_NAMES; dot = s.indexOf('.', dot + 1)) {
            int end = dot + 1;
            while (end < s.length() && end - dot <= 6 && Character.isLetterOrDigit(s.charAt(end))) {
                end++;
            }
            if (end < s.length() && isNameChar(s.charAt(end)) && s.charAt(end) != '.') {
                continue; // the extension runs on: "foo.dllx"
            }
            String extension = s.substring(dot + 1, end).toLowerCase(Locale.ROOT);
            if (!EXTENSIONS.contains(extension)) {
                continue;
            }
            int start = dot;
            while (start > 0 && isNameChar(s.charAt(start - 1)) && dot - start < MAX_NAME_LENGTH) {
                start--;
            }
            if (start < dot) {
                names.add(s.substring(start, end).toLowerCase(Locale.ROOT));
            }
        }
    }

    /** The names seen, sorted. */
    Set<String> names() {
        return names;
    }

    private static boolean isNameChar(char c) {
        return (c < 0x80 && Character.isLetterOrDigit(c)) || c == '_' || c == '-' || c == '.';
    }
}
