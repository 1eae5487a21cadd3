package dev.tollgate.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A file or directory of a release to vet, and the path reports give it: its own path on the command line; a name of
 * the caller's choosing elsewhere (a server vets an uploaded file from its blob store under the name it was uploaded
 * with). Files under a named directory are reported as {@code name/relative/path}.
 *
 * @param path where the bytes are
 * @param name the report path of {@code path}
 */
public record ReleaseInput(Path path, String name) {

    public ReleaseInput {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(name, "name");
        // Any name a file system allows (reports escape what a terminal would interpret); a caller that takes names
        // from elsewhere (an upload) checks them itself.
        if (name.isEmpty()) {
            throw new IllegalArgumentException("an input's report name is empty");
        }
    }

    /** {@code path} reported under its own path, as the CLI does. */
    public static ReleaseInput of(Path path) {
        return new ReleaseInput(path, ScanEngine.reportPath(path));
    }

    /** Each path reported under its own path. */
    public static List<ReleaseInput> of(List<Path> paths) {
        return paths.stream().map(ReleaseInput::of).toList();
    }

    /** Whether this input is reported under its own path (then files under it keep theirs too). */
    boolean namedByPath() {
        return name.equals(ScanEngine.reportPath(path));
    }
}
