package dev.tollgate.model;

import java.util.List;

/**
 * The release a new one is vetted against: its records, from wherever the caller keeps them (a directory just vetted,
 * the scan cache, a database), and the report paths of its inputs, which the diff strips to pair files.
 *
 * @param roots the report paths of the previous release's inputs (a file's path, or a directory's)
 * @param files every file of the previous release, paths under those roots
 */
public record PreviousRelease(List<String> roots, List<FileRecord> files) {

    public PreviousRelease {
        roots = List.copyOf(roots);
        files = List.copyOf(files);
    }
}
