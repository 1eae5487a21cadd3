package dev.tollgate.formats.archive;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Unpacks the containers of one top-level file, level by level: the caller (the engine) calls {@link #unpack} for the
 * top-level container, vets each file the visitor receives and calls {@link #unpack} again, one level deeper, for
 * those that are containers themselves. The {@link Limits} apply to the whole tree: the totals are shared.
 *
 * <p>Nothing an archive names is written anywhere: large entries are spooled to generated names inside a private
 * temporary directory, which {@link #close()} deletes. Not thread-safe: one instance per top-level file.
 *
 * <p>Unpacking never throws for hostile or broken input: every refusal and failure is a {@link Problem}, and the walk
 * goes on with the rest of the container where that is possible.
 */
public final class Unpacker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Unpacker.class.getName());

    private final Budget budget;
    private final Spool spool;

    private Unpacker(Limits limits, long topLevelSize, SpoolMemory memory, Path temporaryRoot) {
        this.budget = new Budget(limits, topLevelSize);
        this.spool = new Spool(limits.memoryThreshold(), memory, temporaryRoot);
    }

    /**
     * An unpacker for a top-level file of {@code topLevelSize} bytes, spooling under the system temporary dir, with
     * a heap allowance of its own of {@link SpoolMemory#DEFAULT_CAPACITY}.
     */
    public static Unpacker create(Limits limits, long topLevelSize) {
        return create(limits, topLevelSize, SpoolMemory.of(SpoolMemory.DEFAULT_CAPACITY));
    }

    /**
     * As {@link #create(Limits, long)}, holding entries on the heap only within {@code memory}, which the unpackers
     * of every file vetted at once share.
     */
    public static Unpacker create(Limits limits, long topLevelSize, SpoolMemory memory) {
        return create(limits, topLevelSize, memory, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** As {@link #create(Limits, long)}, with the private temporary directory created under {@code temporaryRoot}. */
    public static Unpacker create(Limits limits, long topLevelSize, Path temporaryRoot) {
        return create(limits, topLevelSize, SpoolMemory.of(SpoolMemory.DEFAULT_CAPACITY), temporaryRoot);
    }

    /** The general form: shared heap allowance, private temporary directory under {@code temporaryRoot}. */
    public static Unpacker create(Limits limits, long topLevelSize, SpoolMemory memory, Path temporaryRoot) {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(temporaryRoot, "temporaryRoot");
        return new Unpacker(limits, topLevelSize, memory, temporaryRoot);
    }

    /**
     * Reads the container {@code content} of type {@code type} and hands its members to {@code visitor}.
     *
     * @param name the container's file name (used to name the content of a single compressed stream)
     * @param depth the container's own nesting depth: 0 for a top-level file; refused at {@link Limits#maxDepth()}
     */
    public void unpack(String name, ByteView content, ContainerType type, int depth, EntryVisitor visitor) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(visitor, "visitor");
        if (budget.exhausted()) {
            return;
        }
        if (depth >= budget.limits().maxDepth()) {
            visitor.problem(new Problem(
                    ProblemKind.LIMIT,
                    "",
                    "not unpacked: containers nested deeper than "
                            + budget.limits().maxDepth() + " levels",
                    Map.of("limit", "maxDepth", "value", budget.limits().maxDepth())));
            return;
        }
        Walk walk = new Walk(name, content, budget, spool, visitor);
        try {
            switch (type) {
                case ZIP -> ZipReader.read(walk);
                case TAR, GZIP, XZ, BZIP2, ZSTD -> StreamReaders.tarOrCompressed(walk, type);
                case DEB, AR -> StreamReaders.ar(walk);
                case RPM -> RpmReader.read(walk);
                case SEVEN_ZIP -> SevenZipReader.read(walk);
                case CAB -> CabReader.read(walk);
                case MSI -> MsiReader.read(walk);
                case ASAR -> AsarReader.read(walk);
                case NSIS -> NsisReader.read(walk);
            }
        } catch (Refusal r) {
            r.problem().ifPresent(visitor::problem);
        } catch (RefusedIOException r) {
            r.refusal().problem().ifPresent(visitor::problem);
        } catch (FormatException e) {
            visitor.problem(new Problem(
                    ProblemKind.TRUNCATED,
                    "",
                    type.label() + " container is malformed: " + e.getMessage(),
                    Map.of("offset", e.offset())));
        } catch (IOException e) {
            if (e.getCause() instanceof RefusedIOException r) {
                r.refusal().problem().ifPresent(visitor::problem);
                return;
            }
            visitor.problem(new Problem(
                    ProblemKind.TRUNCATED,
                    "",
                    type.label() + " container is truncated or corrupt: " + Problem.reason(e),
                    Map.of()));
        } catch (RuntimeException e) {
            // Third-party readers throw unchecked exceptions on some hostile inputs; the scan goes on. The exception's
            // text is internal (a library's state, our own classes' names): it goes to the log, never to a finding.
            LOG.log(System.Logger.Level.DEBUG, "unchecked exception unpacking a " + type.label() + " container", e);
            visitor.problem(new Problem(
                    ProblemKind.TRUNCATED,
                    "",
                    type.label() + " container could not be read: its structure is corrupt or uses a feature the"
                            + " reader does not handle; what it holds past that point was not vetted",
                    Map.of()));
        }
    }

    /** Deletes the private temporary directory and everything in it. */
    @Override
    public void close() {
        spool.close();
    }
}
