package dev.tollgate.policy;

import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.regex.PatternSyntaxException;

/**
 * A file pattern from a policy: a glob ({@code *}, {@code **}, {@code ?}, {@code {a,b}}) matched against a report path.
 * A pattern without {@code /} matches a file name anywhere ({@code ffmpeg.dll}, {@code *.dll}), as in
 * {@code .gitignore}; a pattern with {@code /} matches the whole path ({@code **}{@code /app/*.dll}). Paths inside
 * containers ({@code setup.msi!bin/x.dll}) match by their inner file name the same way.
 */
record FileGlob(String pattern, PathMatcher matcher, boolean nameOnly) {

    static FileGlob parse(String pattern) throws IllegalArgumentException {
        if (pattern.isBlank()) {
            throw new IllegalArgumentException("an empty file pattern matches nothing");
        }
        try {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            return new FileGlob(pattern, m, !pattern.contains("/"));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + pattern + "' is not a valid glob: " + e.getDescription());
        }
    }

    boolean matches(String reportPath) {
        String candidate = reportPath;
        if (nameOnly) {
            int cut = Math.max(reportPath.lastIndexOf('/'), reportPath.lastIndexOf('!'));
            candidate = reportPath.substring(cut + 1);
        }
        try {
            return !candidate.isEmpty() && matcher.matches(Path.of(candidate));
        } catch (InvalidPathException e) {
            return false; // a name no file system would accept cannot match a pattern written for files
        }
    }
}
