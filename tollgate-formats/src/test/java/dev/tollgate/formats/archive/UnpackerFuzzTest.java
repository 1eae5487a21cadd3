package dev.tollgate.formats.archive;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.formats.ByteView;
import java.nio.file.Path;

/**
 * Fuzzes the whole unpacking walk of every container type with small limits: unpacking must never throw (failures are
 * problems) and must respect the limits. Finds hangs and runaway allocation in the readers and the libraries under
 * them. Saved inputs in {@code UnpackerFuzzTestInputs/} run as regression tests in every build.
 */
class UnpackerFuzzTest {

    private static final Limits SMALL = new Limits(16L << 20, 4L << 20, 200, 1L << 20, 1000, 4, 1024, 1L << 20);

    @FuzzTest(maxDuration = "60s")
    void unpack(FuzzedDataProvider in) {
        ContainerType[] types = ContainerType.values();
        ContainerType type = types[in.consumeInt(0, types.length - 1)];
        byte[] data = in.consumeRemainingAsBytes();
        long[] total = {0};
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
                public void problem(Problem problem) {}
            });
        }
        if (memory.reserved() != 0) {
            throw new IllegalStateException("spool memory not given back: " + memory.reserved());
        }
        if (total[0] > SMALL.maxTotalBytes() + SMALL.maxEntryBytes()) {
            throw new IllegalStateException("more expanded than the limit: " + total[0]);
        }
    }
}
