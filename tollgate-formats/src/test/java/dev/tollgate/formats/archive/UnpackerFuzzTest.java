package dev.tollgate.formats.archive;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Fuzzes the whole unpacking walk of every container type with small limits: unpacking must never throw (failures are
 * problems) and must respect the limits; a problem made from an exception thrown by our own code fails the target. Finds hangs and runaway allocation in the readers and the libraries under
 * them. Saved inputs in {@code UnpackerFuzzTestInputs/} run as regression tests in every build.
 */
class UnpackerFuzzTest {

    private static final Limits SMALL =
            new Limits(16L << 20, 4L << 20, 200, 1L << 20, 1000, 4, 1024, 1L << 20, Limits.DEFAULT_MAX_ZSTD_WINDOW);

    @FuzzTest(maxDuration = "60s")
    void unpack(FuzzedDataProvider in) {
        ContainerType[] types = ContainerType.values();
        ContainerType type = types[in.consumeInt(0, types.length - 1)];
        byte[] data = in.consumeRemainingAsBytes();
        long[] total = {0};
        boolean[] unexpected = {false};
        // A small heap allowance, so that the spill to temporary files is fuzzed too.
        SpoolMemory memory = SpoolMemory.of(256 * 1024);
        try (Unpacker u = Unpacker.create(SMALL, data.length, memory, Path.of(System.getProperty("java.io.tmpdir")))) {
            u.unpack("fuzz", ByteView.of(data), type, 0, new EntryVisitor() {
                @Override
                public void file(Entry entry, ByteView content) {
                    total[0] += content.size();
                    if (content.size() > SMALL.maxEntryBytes()) {
                        throw new IllegalStateException("entry larger than the limit: " + content.size());
                    }
                }

                @Override
                public void problem(Problem problem) {
                    if (problem.message().contains(UNEXPECTED_EXCEPTION)) {
                        unexpected[0] = true;
                    }
                }
            });
        }
        if (unexpected[0]) {
            // The user-facing behaviour (a problem, the scan goes on) held; now find out whose exception it was.
            readBelowTheCatch(type, data);
        }
        if (memory.reserved() != 0) {
            throw new IllegalStateException("spool memory not given back: " + memory.reserved());
        }
        if (total[0] > SMALL.maxTotalBytes() + SMALL.maxEntryBytes()) {
            throw new IllegalStateException("more expanded than the limit: " + total[0]);
        }
    }

    /** What {@link Unpacker#unpack} says of a RuntimeException it caught: "zip container could not be read: ...". */
    static final String UNEXPECTED_EXCEPTION = " container could not be read: ";

    /**
     * Runs the reader {@link Unpacker#unpack} dispatches to, without the catch that turns every RuntimeException into a
     * problem: one thrown by a third-party reader (commons-compress, xz, zstd) on hostile input is that library's way of
     * refusing it, but one thrown by our own code is a bug and fails the target.
     */
    static void readBelowTheCatch(ContainerType type, byte[] data) {
        SpoolMemory memory = SpoolMemory.of(256 * 1024);
        try (Spool spool = new Spool(SMALL.memoryThreshold(), memory, Path.of(System.getProperty("java.io.tmpdir")))) {
            Walk walk = new Walk("fuzz", ByteView.of(data), new Budget(SMALL, data.length), spool, new EntryVisitor() {
                @Override
                public void file(Entry entry, ByteView content) {}

                @Override
                public void problem(Problem problem) {}
            });
            switch (type) {
                case ZIP -> ZipReader.read(walk);
                case TAR, GZIP, XZ, BZIP2, ZSTD -> StreamReaders.tarOrCompressed(walk, type);
                case DEB, AR -> StreamReaders.ar(walk);
                case RPM -> RpmReader.read(walk);
                case SEVEN_ZIP -> SevenZipReader.read(walk);
                case CAB -> CabReader.read(walk);
                case MSI -> MsiReader.read(walk);
                case ASAR -> AsarReader.read(walk);
            }
        } catch (RuntimeException e) {
            if (thrownByOurCode(e)) {
                throw new AssertionError("internal error in the " + type.label() + " reader: " + e, e);
            }
        } catch (Refusal | IOException | FormatException e) {
            // the typed failures Unpacker reports as problems
        }
    }

    /** Whether the first frame outside the JDK that threw {@code e} is ours (JDK frames: our call of requireNonNull). */
    static boolean thrownByOurCode(Throwable e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            String c = frame.getClassName();
            if (!(c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun."))) {
                return c.startsWith("dev.tollgate.");
            }
        }
        return false;
    }
}
