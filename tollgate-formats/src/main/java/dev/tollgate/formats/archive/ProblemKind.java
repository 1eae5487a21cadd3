package dev.tollgate.formats.archive;

/** The kinds of {@link Problem}; {@link #code()} is the finding code's second part ({@code archive.bomb}). */
public enum ProblemKind {
    /** The expansion ratio or the declared sizes are those of a decompression bomb. */
    BOMB("bomb"),
    /** An entry name is absolute, has a drive letter, or climbs out with {@code ..}. */
    PATH_TRAVERSAL("path-traversal"),
    /** A symbolic or hard link points outside the container. */
    LINK("link"),
    /** An entry (or the whole container) is encrypted; its content cannot be vetted. */
    ENCRYPTED("encrypted"),
    /** The container or an entry's stream ends early, or its structures do not parse. */
    TRUNCATED("truncated"),
    /** A compression method or format feature this reader does not implement. */
    UNSUPPORTED("unsupported"),
    /** A limit (total bytes, entry size, entry count, depth, name length) was reached. */
    LIMIT("limit"),
    /** Two entries normalise to the same path: tools disagree on which one wins. */
    DUPLICATE("duplicate"),
    /** Two copies of the same metadata disagree (a zip's local and central headers): tools disagree on the content. */
    HEADER_MISMATCH("header-mismatch"),
    /** A member does not have the hash its container claims for it (Electron asar integrity). */
    INTEGRITY_MISMATCH("integrity-mismatch");

    private final String code;

    ProblemKind(String code) {
        this.code = code;
    }

    /** The lower-case suffix of the finding code. */
    public String code() {
        return code;
    }
}
