package dev.tollgate.formats.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.formats.ByteView;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * An rpm header costs heap in proportion to its size: 65,536 index entries in about 1 MiB, each a string tag, once
 * tiny strings and once all pointing at one 4 KiB string (which decoded for every tag made 256 MiB of strings).
 */
class RpmHeaderMemoryTest {

    private static final int ENTRIES = 65_536;
    private static final long MIB = 1L << 20;

    /** A header structure of {@code ENTRIES} string entries with distinct tags over the given data store. */
    private static byte[] header(byte[] store, boolean sameString, int stringLength) {
        ByteBuffer b = ByteBuffer.allocate(16 + ENTRIES * 16 + store.length);
        b.putInt(0x8EADE801).putInt(0).putInt(ENTRIES).putInt(store.length);
        for (int i = 0; i < ENTRIES; i++) {
            b.putInt(5000 + i)
                    .putInt(6)
                    .putInt(sameString ? 0 : i * (stringLength + 1))
                    .putInt(1);
        }
        b.put(store);
        return b.array();
    }

    private static long allocatedWhileParsing(byte[] header) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ByteView v = ByteView.of(header);
        RpmReader.header(v, 0, "warm-up");
        long before = threads.getCurrentThreadAllocatedBytes();
        RpmReader.Header parsed = RpmReader.header(v, 0, "header");
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(parsed.end()).isEqualTo(header.length);
        return allocated;
    }

    @Test
    void aHeaderOfManyTinyStringsCostsAFewMibPerMib() throws Exception {
        byte[] store = new byte[ENTRIES * 2];
        for (int i = 0; i < ENTRIES; i++) {
            store[i * 2] = 'a';
        }
        byte[] header = header(store, false, 1);

        long allocated = allocatedWhileParsing(header);

        assertThat(allocated).isLessThan(3 * MIB * header.length / MIB + MIB);
    }

    @Test
    void aHeaderWhoseTagsShareOneLongStringCostsAFewMibPerMib() throws Exception {
        byte[] store = new byte[4096];
        java.util.Arrays.fill(store, 0, 4095, (byte) 'x');
        byte[] header = header(store, true, 4095);

        long allocated = allocatedWhileParsing(header);

        assertThat(allocated).isLessThan(3 * MIB * header.length / MIB + MIB);
    }

    @Test
    void aScriptTagRepeatedInEveryEntryIsReadOnce() throws Exception {
        // 65,536 entries all %post, all at one 1 MiB string without a NUL: read once, not 65,536 scans of the store.
        byte[] store = new byte[1 << 20];
        java.util.Arrays.fill(store, (byte) 'x');
        ByteBuffer b = ByteBuffer.allocate(16 + ENTRIES * 16 + store.length);
        b.putInt(0x8EADE801).putInt(0).putInt(ENTRIES).putInt(store.length);
        for (int i = 0; i < ENTRIES; i++) {
            b.putInt(1024).putInt(6).putInt(0).putInt(1);
        }
        b.put(store);

        long started = System.nanoTime();
        RpmReader.Header parsed = RpmReader.header(ByteView.of(b.array()), 0, "header");

        assertThat(parsed.scripts())
                .singleElement()
                .satisfies(s -> assertThat(s.content().size()).isEqualTo(store.length));
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(5));
    }
}
