package dev.tollgate.formats.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.formats.ByteView;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolMemoryTest {

    private static final Spool.Meter FREE = n -> {};

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    /** An input stream that hides its size, as a decompressor does. */
    private static InputStream unsized(byte[] b) {
        return new ByteArrayInputStream(b);
    }

    private static List<Path> files(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void keepsSmallEntriesOnTheHeapAndGivesTheMemoryBackOnClose(@TempDir Path root) throws Exception {
        SpoolMemory memory = SpoolMemory.of(1 << 20);
        byte[] bytes = random(100_000);
        try (Spool spool = new Spool(1 << 20, memory, root)) {
            try (Spool.Content c = spool.read(unsized(bytes), -1, Long.MAX_VALUE, "a", FREE)) {
                assertThat(c.view().toArray()).isEqualTo(bytes);
                assertThat(memory.reserved()).isGreaterThanOrEqualTo(bytes.length);
                assertThat(files(root)).isEmpty();
            }
            assertThat(memory.reserved()).isZero();
        }
    }

    @Test
    void allocatesADeclaredSizeExactlyWithoutDoublingTheBuffer(@TempDir Path root) throws Exception {
        SpoolMemory memory = SpoolMemory.of(1 << 20);
        byte[] bytes = random(300_000);
        try (Spool spool = new Spool(1 << 20, memory, root);
                Spool.Content c = spool.read(unsized(bytes), bytes.length, Long.MAX_VALUE, "a", FREE)) {
            assertThat(c.view().toArray()).isEqualTo(bytes);
            assertThat(memory.reserved()).isEqualTo(bytes.length);
        }
    }

    @Test
    void spillsToAFileWhenTheSharedMemoryIsTaken(@TempDir Path root) throws Exception {
        SpoolMemory memory = SpoolMemory.of(200_000);
        byte[] first = random(150_000);
        byte[] second = random(120_000);
        try (Spool spool = new Spool(1 << 20, memory, root);
                Spool.Content a = spool.read(unsized(first), first.length, Long.MAX_VALUE, "a", FREE);
                Spool.Content b = spool.read(unsized(second), -1, Long.MAX_VALUE, "b", FREE)) {
            assertThat(a.view().toArray()).isEqualTo(first);
            assertThat(b.view().toArray()).isEqualTo(second);
            assertThat(files(root)).singleElement().satisfies(p -> assertThat(Files.size(p))
                    .isEqualTo(120_000));
            assertThat(memory.reserved()).isEqualTo(150_000);
        }
        assertThat(memory.reserved()).isZero();
        assertThat(files(root)).isEmpty();
    }

    @Test
    void spillsAnUnsizedEntryThatOutgrowsTheThresholdWithoutLosingTheByteThatShowedIt(@TempDir Path root)
            throws Exception {
        SpoolMemory memory = SpoolMemory.of(1 << 30);
        byte[] bytes = random(CHUNK_MULTIPLE);
        try (Spool spool = new Spool(64 * 1024, memory, root);
                Spool.Content c = spool.read(unsized(bytes), -1, Long.MAX_VALUE, "a", FREE)) {
            assertThat(c.view().size()).isEqualTo(bytes.length);
            assertThat(c.view().toArray()).isEqualTo(bytes);
            assertThat(memory.reserved()).isZero();
        }
    }

    private static final int CHUNK_MULTIPLE = 64 * 1024 * 3 + 1;

    /** A lying size: a header declares 10 bytes and the stream holds more; the content is still read whole. */
    @Test
    void readsPastADeclaredSizeThatLies(@TempDir Path root) throws Exception {
        SpoolMemory memory = SpoolMemory.of(1 << 20);
        byte[] bytes = random(200_000);
        try (Spool spool = new Spool(1 << 20, memory, root);
                Spool.Content c = spool.read(unsized(bytes), 10, Long.MAX_VALUE, "a", FREE)) {
            assertThat(c.view().toArray()).isEqualTo(bytes);
        }
        assertThat(memory.reserved()).isZero();
    }

    @Test
    void givesTheMemoryBackWhenAnEntryIsRefusedMidway(@TempDir Path root) throws Exception {
        SpoolMemory memory = SpoolMemory.of(1 << 20);
        byte[] bytes = random(100_000);
        try (Spool spool = new Spool(1 << 20, memory, root)) {
            assertThatThrownBy(() -> spool.read(unsized(bytes), -1, 50_000, "big", FREE))
                    .isInstanceOf(Refusal.class);
            assertThatThrownBy(() -> spool.read(unsized(bytes), -1, Long.MAX_VALUE, "bomb", n -> {
                        throw new Refusal(
                                Refusal.Scope.SCAN, new Problem(ProblemKind.BOMB, "", "stop", java.util.Map.of()));
                    }))
                    .isInstanceOf(Refusal.class);
        }
        assertThat(memory.reserved()).isZero();
        assertThat(files(root)).isEmpty();
    }

    @Test
    void anEmptyEntryNeedsNoMemoryAndNoFile(@TempDir Path root) throws Exception {
        SpoolMemory memory = SpoolMemory.of(0);
        try (Spool spool = new Spool(1 << 20, memory, root);
                Spool.Content c = spool.read(unsized(new byte[0]), -1, Long.MAX_VALUE, "empty", FREE)) {
            assertThat(c.view().size()).isZero();
        }
        assertThat(files(root)).isEmpty();
    }

    /** Two threads unpacking at once never hold more than the shared allowance on the heap. */
    @Test
    void boundsTheHeapHeldAcrossThreads(@TempDir Path root) throws Exception {
        SpoolMemory memory = SpoolMemory.of(300_000);
        byte[] bytes = random(100_000);
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        long[] peak = {0};
        Runnable work = () -> {
            try (Spool spool = new Spool(1 << 20, memory, root)) {
                for (int i = 0; i < 50; i++) {
                    try (Spool.Content a = spool.read(unsized(bytes), -1, Long.MAX_VALUE, "a", FREE);
                            Spool.Content b = spool.read(unsized(bytes), bytes.length, Long.MAX_VALUE, "b", FREE)) {
                        synchronized (peak) {
                            peak[0] = Math.max(peak[0], memory.reserved());
                        }
                        if (!Arrays.equals(a.view().toArray(), bytes)
                                || !Arrays.equals(b.view().toArray(), bytes)) {
                            throw new AssertionError("content differs");
                        }
                    }
                }
            } catch (Throwable t) {
                errors.add(t);
            }
        };
        Thread t1 = new Thread(work);
        Thread t2 = new Thread(work);
        t1.start();
        t2.start();
        t1.join();
        t2.join();
        assertThat(errors).isEmpty();
        assertThat(peak[0]).isLessThanOrEqualTo(300_000);
        assertThat(memory.reserved()).isZero();
    }

    @Test
    void unpacksEveryEntryThroughFilesWhenNoMemoryIsAllowed(@TempDir Path root) throws Exception {
        byte[] bytes = Collected.fixture("sample.tar.gz");
        SpoolMemory none = SpoolMemory.of(0);
        Collected c = new Collected();
        try (Unpacker u = Unpacker.create(Limits.defaults(), bytes.length, none, root)) {
            u.unpack("sample.tar.gz", ByteView.of(bytes), ContainerType.GZIP, 0, c);
        }
        Collected onHeap = Collected.unpack("sample.tar.gz");
        assertThat(c.files).containsOnlyKeys(onHeap.files.keySet());
        onHeap.files.forEach((k, v) -> assertThat(c.files.get(k)).as(k).isEqualTo(v));
        assertThat(c.problems).isEmpty();
        assertThat(none.reserved()).isZero();
        try (var s = Files.list(root)) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void refusesANegativeCapacity() {
        assertThatThrownBy(() -> SpoolMemory.of(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
