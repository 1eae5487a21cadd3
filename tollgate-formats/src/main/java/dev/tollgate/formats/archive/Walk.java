package dev.tollgate.formats.archive;

import dev.tollgate.formats.ByteView;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One container being read: the readers hand each member to it, and it applies the limits, normalises names, finds
 * duplicates and hostile links, spools content and calls the visitor.
 */
final class Walk {

    private final String name;
    private final ByteView content;
    private final Budget budget;
    private final Spool spool;
    private final EntryVisitor visitor;
    private final Set<String> seen = new HashSet<>();
    private long expanded;
    private boolean charging = true;

    Walk(String name, ByteView content, Budget budget, Spool spool, EntryVisitor visitor) {
        this.name = name;
        this.content = content;
        this.budget = budget;
        this.spool = spool;
        this.visitor = visitor;
    }

    /** The container's own file name (the last segment of its path), used to name a compressed stream's content. */
    String name() {
        return name;
    }

    ByteView content() {
        return content;
    }

    Limits limits() {
        return budget.limits();
    }

    void problem(ProblemKind kind, String entry, String message, Map<String, Object> evidence) {
        visitor.problem(new Problem(kind, entry, message, evidence));
    }

    /**
     * Wraps a decompressed stream so that every byte read from it, including bytes a reader skips, is charged to the
     * budget: a stream format cannot skip an entry without expanding it. Entries then are not charged again.
     */
    InputStream metered(InputStream decompressed) {
        charging = false;
        return new FilterInputStream(decompressed) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    meter(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    meter(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                byte[] sink = new byte[(int) Math.min(n, 8192)];
                long skipped = 0;
                while (skipped < n) {
                    int r = read(sink, 0, (int) Math.min(sink.length, n - skipped));
                    if (r < 0) {
                        break;
                    }
                    skipped += r;
                }
                return skipped;
            }
        };
    }

    private void meter(long n) throws RefusedIOException {
        try {
            charge(n);
        } catch (Refusal r) {
            throw new RefusedIOException(r);
        }
    }

    private void charge(long n) throws Refusal {
        expanded += n;
        budget.charge(n, expanded, content.size());
    }

    /**
     * Checks a member's name and counts it; returns its normalised path, or empty when the member must be skipped (a
     * problem has then been reported).
     */
    Optional<String> admit(String storedName) throws Refusal {
        return admit(storedName, storedName);
    }

    /** As {@link #admit(String)}, for a member reported under another name (an MSI file under its install path). */
    Optional<String> admit(String storedName, String name) throws Refusal {
        budget.countEntry();
        if (storedName.length() > limits().maxNameLength()) {
            problem(
                    ProblemKind.LIMIT,
                    storedName.substring(0, Math.min(64, storedName.length())) + "...",
                    "an entry name of " + storedName.length() + " characters is longer than the limit of "
                            + limits().maxNameLength() + "; entry skipped",
                    Map.of("limit", "maxNameLength", "value", storedName.length()));
            return Optional.empty();
        }
        EntryPaths.Normalised normalised = EntryPaths.normalise(name);
        normalised
                .traversal()
                .ifPresent(why -> problem(
                        ProblemKind.PATH_TRAVERSAL,
                        storedName,
                        "entry name '" + storedName + "' has " + why + "; vetted as '" + normalised.path() + "'",
                        Map.of("storedName", storedName, "path", normalised.path())));
        return Optional.of(normalised.path());
    }

    /** A member without content: a directory, a link or an external file. Links pointing out are reported. */
    void member(Entry entry) {
        if (entry.kind() == EntryKind.SYMLINK || entry.kind() == EntryKind.HARDLINK) {
            String target = entry.linkTarget().orElseThrow();
            EntryPaths.linkEscape(entry.path(), target, entry.kind() == EntryKind.SYMLINK)
                    .ifPresent(why -> problem(
                            ProblemKind.LINK,
                            entry.storedName(),
                            (entry.kind() == EntryKind.SYMLINK ? "symbolic" : "hard") + " link " + entry.storedName()
                                    + " " + why,
                            Map.of("storedName", entry.storedName(), "target", target)));
        }
        visitor.member(entry);
    }

    /** A file whose content is read from {@code in}; the stream is read to its end or until a limit refuses it. */
    void file(Entry entry, InputStream in) throws IOException, Refusal {
        if (entry.encrypted()) {
            encrypted(entry);
            return;
        }
        duplicate(entry);
        try (Spool.Content spooled = spool.read(
                in, entry.size(), limits().maxEntryBytes(), entry.storedName(), charging ? this::charge : n -> {})) {
            visitor.file(entry, spooled.view());
        } catch (Refusal r) {
            if (r.scope() != Refusal.Scope.ENTRY) {
                throw r;
            }
            r.problem().ifPresent(visitor::problem);
        }
    }

    /**
     * Spools an inner container that is not reported as a file of its own (an MSI's embedded cabinet, which its
     * reader needs to seek in): on the heap or in a private temporary file like an entry, refused past
     * {@link Limits#maxEntryBytes()}. Not charged to the budget: its bytes are stored, not expanded; what it expands
     * to is charged as it is read.
     */
    Spool.Content spool(InputStream in, long sizeHint, String what) throws IOException, Refusal {
        return spool.read(in, sizeHint, limits().maxEntryBytes(), what, n -> {});
    }

    /** A file whose content is already in memory (a stored member of a mapped container): no copy. */
    void file(Entry entry, ByteView view) throws Refusal {
        if (entry.encrypted()) {
            encrypted(entry);
            return;
        }
        duplicate(entry);
        if (view.size() > limits().maxEntryBytes()) {
            problem(
                    ProblemKind.LIMIT,
                    entry.storedName(),
                    "entry " + entry.storedName() + " is larger than " + limits().maxEntryBytes()
                            + " bytes; not vetted",
                    Map.of("limit", "maxEntryBytes", "value", limits().maxEntryBytes()));
            return;
        }
        if (charging) {
            charge(view.size());
        }
        visitor.file(entry, view);
    }

    private void encrypted(Entry entry) {
        problem(
                ProblemKind.ENCRYPTED,
                entry.storedName(),
                "entry " + entry.storedName() + " is encrypted; its content cannot be vetted",
                Map.of("storedName", entry.storedName()));
        visitor.member(entry);
    }

    private void duplicate(Entry entry) {
        if (!seen.add(entry.path())) {
            problem(
                    ProblemKind.DUPLICATE,
                    entry.storedName(),
                    "more than one entry is named " + entry.path() + "; extraction tools disagree on which one wins",
                    Map.of("path", entry.path()));
        }
    }
}
