package dev.tollgate.formats.archive;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Normalises stored entry names into safe inner paths and says why a name or link is hostile. The normalised path is
 * only ever used in report paths (nothing is extracted under an archive's names), but a traversal is still a finding:
 * it is how archives attack the tools that do extract them.
 */
final class EntryPaths {

    /** A normalised path and, when the stored name tried to leave the archive root, why. */
    record Normalised(String path, Optional<String> traversal) {}

    private EntryPaths() {}

    static Normalised normalise(String stored) {
        String name = stored.replace('\\', '/');
        Optional<String> traversal = Optional.empty();
        if (name.length() >= 2 && Character.isLetter(name.charAt(0)) && name.charAt(1) == ':') {
            traversal = Optional.of("a drive letter");
            name = name.substring(2);
        }
        if (name.startsWith("/") && traversal.isEmpty()) {
            traversal = Optional.of("an absolute path");
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    if (traversal.isEmpty()) {
                        traversal = Optional.of("'..' segments that climb out of the archive");
                    }
                } else {
                    segments.removeLast();
                }
                continue;
            }
            segments.addLast(clean(segment));
        }
        String path = segments.isEmpty() ? "(unnamed)" : String.join("/", segments);
        return new Normalised(path, traversal);
    }

    /**
     * Why a link at {@code entryPath} with {@code target} points outside the archive, or empty when it stays inside.
     * Symbolic link targets are relative to the link's directory; hard link targets (tar) to the archive root.
     */
    static Optional<String> linkEscape(String entryPath, String target, boolean symbolic) {
        String t = target.replace('\\', '/');
        if (t.startsWith("/") || (t.length() >= 2 && Character.isLetter(t.charAt(0)) && t.charAt(1) == ':')) {
            return Optional.of("points to the absolute path " + target);
        }
        Deque<String> segments = new ArrayDeque<>();
        if (symbolic) {
            String[] parts = entryPath.split("/");
            for (int i = 0; i < parts.length - 1; i++) {
                segments.addLast(parts[i]);
            }
        }
        for (String segment : t.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    return Optional.of("climbs out of the archive to " + target);
                }
                segments.removeLast();
            } else {
                segments.addLast(segment);
            }
        }
        return Optional.empty();
    }

    /**
     * Control characters (NUL truncates names in C tools) and {@code !} (the report path separator, which would let a
     * name pose as a nested container) become {@code _}.
     */
    private static String clean(String segment) {
        StringBuilder b = new StringBuilder(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            b.append(c < 0x20 || c == 0x7F || c == '!' ? '_' : c);
        }
        return b.toString();
    }
}
