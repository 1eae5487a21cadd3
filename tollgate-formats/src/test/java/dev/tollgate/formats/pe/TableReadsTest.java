package dev.tollgate.formats.pe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.TruncatedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The reads the PE parser does a table at a time ({@link ByteView#u16s}, {@link ByteView#u32s}, {@link AddressMap}'s
 * remembered section, {@link MappedImage#name}'s window) give exactly what the entry-at-a-time reads give, at the end
 * of the file and past it too.
 */
class TableReadsTest {

    private static final byte[] TEN = {1, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 7, 0, 0, (byte) 0x80};

    @Test
    void bulkReadsAreLittleEndianAndUnsigned() {
        ByteView view = ByteView.of(TEN);

        assertThat(view.u32s(0, 2)).containsExactly(0xffff0001L, 0x0007ffffL);
        assertThat(ints(view.u16s(0, 5))).containsExactly(1, 0xffff, 0xffff, 7, 0x8000);
    }

    @Test
    void bulkReadStopsAtTheLastWholeValueWhenTheTableRunsPastTheEnd() {
        ByteView view = ByteView.of(TEN);

        assertThat(view.u32s(0, 5)).hasSize(2);
        assertThat(view.u32s(4, 5)).containsExactly(0x0007ffffL);
        assertThat(view.u32s(7, 1)).isEmpty();
        assertThat(ints(view.u16s(7, 4))).containsExactly(0);
        assertThat(view.u16s(9, 1)).isEmpty();
    }

    @Test
    void bulkReadOfATableThatEndsWithTheFileReadsItAll() {
        ByteView view = ByteView.of(TEN);

        assertThat(view.u32s(2, 2)).containsExactly(0xffffffffL, 0x80000007L);
        assertThat(ints(view.u16s(8, 1))).containsExactly(0x8000);
    }

    @Test
    void bulkReadOutsideTheViewOrOfNothingIsEmpty() {
        ByteView view = ByteView.of(TEN);

        assertThat(view.u32s(-4, 2)).isEmpty();
        assertThat(view.u32s(10, 2)).isEmpty();
        assertThat(view.u32s(Long.MAX_VALUE, 2)).isEmpty();
        assertThat(view.u32s(0, 0)).isEmpty();
        assertThat(view.u16s(0, -1)).isEmpty();
    }

    @Test
    void bulkReadOfASliceIsRelativeToTheSlice() throws TruncatedException {
        ByteView slice = ByteView.of(TEN).slice(2, 6, "slice");

        assertThat(slice.u32s(0, 3)).containsExactly(0xffffffffL);
        assertThat(ints(slice.u16s(0, 3))).containsExactly(0xffff, 0xffff, 7);
    }

    @Test
    void bulkReadsAgreeWithTheCheckedReadsEverywhere() throws TruncatedException {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 2_000; round++) {
            byte[] data = new byte[random.nextInt(0, 40)];
            random.nextBytes(data);
            ByteView view = ByteView.of(data);
            int offset = random.nextInt(0, 44);
            int count = random.nextInt(0, 14);
            long[] u32s = view.u32s(offset, count);
            char[] u16s = view.u16s(offset, count);
            for (int i = 0; i < count; i++) {
                assertThat(i < u32s.length).isEqualTo(view.has(offset + 4L * i, 4));
                assertThat(i < u16s.length).isEqualTo(view.has(offset + 2L * i, 2));
                if (i < u32s.length) {
                    assertThat(u32s[i]).isEqualTo(view.u32(offset + 4L * i, "u32"));
                }
                if (i < u16s.length) {
                    assertThat((int) u16s[i]).isEqualTo(view.u16(offset + 2L * i, "u16"));
                }
            }
        }
    }

    @Test
    void asciizReadsNamesLongerThanItsFirstCopy() throws TruncatedException {
        String name = "x".repeat(63) + "y".repeat(64) + "z".repeat(73);
        ByteView view = ByteView.of((name + "\0tail").getBytes(StandardCharsets.ISO_8859_1));

        assertThat(view.asciiz(0, 4096, "name")).isEqualTo(name);
        assertThat(view.asciiz(0, 64, "name")).isEqualTo(name.substring(0, 64));
        assertThat(view.asciiz(0, 129, "name")).isEqualTo(name.substring(0, 129));
        assertThat(view.asciiz(1, 4096, "name")).isEqualTo(name.substring(1));
        assertThat(view.asciiz(name.length() + 1, 4096, "name")).isEqualTo("tail");
        assertThat(view.asciiz(0, 0, "name")).isEmpty();
    }

    @Test
    void asciizAgreesWithTheDefinitionForLongStrings() throws TruncatedException {
        SplittableRandom random = new SplittableRandom(13);
        for (int round = 0; round < 2_000; round++) {
            byte[] data = randomText(random, random.nextInt(1, 600), 200);
            int offset = random.nextInt(data.length);
            int maxLength = random.nextInt(0, 700);

            assertThat(ByteView.of(data).asciiz(offset, maxLength, "name"))
                    .isEqualTo(asciizByDefinition(data, offset, maxLength));
        }
    }

    @Test
    void firstSectionInTableOrderMapsAnRvaWhenSectionsOverlap() {
        // .b lies inside .a: an RVA in both maps through .a, also right after a hit in .b alone.
        AddressMap map = new AddressMap(
                List.of(section(0x1000, 0x3000, 0x400, 0x3000), section(0x2000, 0x3000, 0x8000, 0x3000)),
                0x400,
                0x10000);

        assertThat(map.toOffset(0x3800)).isEqualTo(0x400 + 0x2800);
        assertThat(map.toOffset(0x3900)).isEqualTo(0x400 + 0x2900);
        assertThat(map.toOffset(0x2000)).isEqualTo(0x400 + 0x1000);
        assertThat(map.toOffset(0x4100)).isEqualTo(0x8000 + 0x2100);
        assertThat(map.toOffset(0x2000)).isEqualTo(0x400 + 0x1000);
    }

    @Test
    void remembersTheLastSectionOnlyWhileItHoldsTheRva() {
        AddressMap map = new AddressMap(
                List.of(section(0x1000, 0x200, 0x400, 0x200), section(0x2000, 0x1000, 0x600, 0x200)), 0x400, 0x800);

        assertThat(map.toOffset(0x2010)).isEqualTo(0x610);
        assertThat(map.toOffset(0x1010)).isEqualTo(0x410);
        assertThat(map.toOffset(0x2300)).isEqualTo(AddressMap.UNMAPPED); // in memory only
        assertThat(map.toOffset(0x10)).isEqualTo(0x10); // the headers
        assertThat(map.toOffset(0x5000)).isEqualTo(AddressMap.UNMAPPED);
        assertThat(map.toOffset(-1)).isEqualTo(AddressMap.UNMAPPED);
        assertThat(map.toOffset(0x2010)).isEqualTo(0x610);
    }

    @Test
    void tellsOverlappingRangesFromDisjointOnes() {
        assertThat(AddressMap.disjoint(new long[] {0x3000, 0x1000, 0x2000}, new long[] {0x1000, 0x1000, 0x1000}))
                .isTrue();
        assertThat(AddressMap.disjoint(new long[] {0x1000, 0x2000}, new long[] {0x1001, 0x1000}))
                .isFalse();
        // A long range overlaps one that starts after the next.
        assertThat(AddressMap.disjoint(new long[] {0x1000, 0x2000, 0x4000}, new long[] {0x8000, 0x1000, 0x1000}))
                .isFalse();
        // Empty ranges hold nothing, so they overlap nothing.
        assertThat(AddressMap.disjoint(new long[] {0x1000, 0x1000, 0x1800}, new long[] {0x1000, 0, 0}))
                .isTrue();
        assertThat(AddressMap.disjoint(new long[0], new long[0])).isTrue();
    }

    @Test
    void mapsEveryRvaAsTheScanInTableOrderDoes() {
        SplittableRandom random = new SplittableRandom(17);
        for (int round = 0; round < 300; round++) {
            List<PeSection> sections = new ArrayList<>();
            int count = random.nextInt(0, 6);
            boolean overlapping = random.nextBoolean();
            long next = 0x1000;
            for (int i = 0; i < count; i++) {
                long va = overlapping ? random.nextLong(0, 0x6000) : next;
                long virtualSize = random.nextLong(0, 0x1800);
                long raw = random.nextLong(0, 0x1800);
                sections.add(section(va, virtualSize, random.nextLong(0, 0x5000), raw));
                next = va + Math.max(virtualSize, raw) + random.nextLong(0, 0x400);
            }
            long sizeOfHeaders = random.nextLong(0, 0x800);
            long fileSize = random.nextLong(1, 0x6000);
            AddressMap map = new AddressMap(sections, sizeOfHeaders, fileSize);
            long rva = random.nextLong(0, 0x8000);
            for (int i = 0; i < 200; i++) {
                // Mostly small steps, as names in one table go; sometimes a jump anywhere.
                rva = random.nextInt(8) == 0
                        ? random.nextLong(-2, 0x8000)
                        : Math.max(0, rva + random.nextLong(-64, 64));
                assertThat(map.toOffset(rva))
                        .as("rva 0x%x in %s", rva, sections)
                        .isEqualTo(toOffsetByDefinition(sections, sizeOfHeaders, fileSize, rva));
            }
        }
    }

    @Test
    void namesReadAsTheNameByNameReadDoes() throws TruncatedException {
        SplittableRandom random = new SplittableRandom(19);
        for (int round = 0; round < 200; round++) {
            // Some names longer than the window and than MAX_NAME_LENGTH, some cut by the end of the file.
            int longest = random.nextBoolean() ? 40 : PeFile.MAX_NAME_LENGTH + 300;
            byte[] data = randomText(random, random.nextInt(1, 3 * PeFile.MAX_NAME_LENGTH), longest);
            ByteView view = ByteView.of(data);
            // No sections: the headers map RVAs to the same offsets, up to sizeOfHeaders.
            long mapped = random.nextLong(0, data.length + 1);
            Anomalies windowed = new Anomalies();
            Anomalies byDefinition = new Anomalies();
            MappedImage image =
                    new MappedImage(view, new AddressMap(List.of(), mapped, data.length), true, 0, windowed);
            long rva = random.nextLong(0, data.length);
            for (int i = 0; i < 100; i++) {
                rva = random.nextInt(6) == 0
                        ? random.nextLong(0, data.length + 10)
                        : Math.max(0, rva + random.nextLong(-30, 60));
                assertThat(image.name(rva, 8, "name"))
                        .as("rva %d of %d", rva, data.length)
                        .isEqualTo(nameByDefinition(view, mapped, rva, byDefinition));
            }
            assertThat(windowed.toList()).isEqualTo(byDefinition.toList());
        }
    }

    @Test
    void nameAtTheEndOfTheFileIsReportedUnterminated() {
        byte[] data = "A\0BC".getBytes(StandardCharsets.ISO_8859_1);
        Anomalies anomalies = new Anomalies();
        MappedImage image = new MappedImage(
                ByteView.of(data), new AddressMap(List.of(), data.length, data.length), true, 0, anomalies);

        assertThat(image.name(0, 8, "name")).isEqualTo("A");
        assertThat(image.name(2, 8, "name")).isNull();
        assertThat(image.name(4, 8, "name")).isNull();
        assertThat(anomalies.toList())
                .extracting(PeAnomaly::toString)
                .containsExactly(
                        "TRUNCATED at 0x2: name is not NUL-terminated before end of file",
                        "UNMAPPED_RVA at 0x8: name RVA 0x4 is not in the file");
    }

    @Test
    void throwsForAsciizAtTheEnd() {
        assertThatThrownBy(() -> ByteView.of(TEN).asciiz(10, 8, "name")).isInstanceOf(TruncatedException.class);
    }

    private static int[] ints(char[] values) {
        int[] ints = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            ints[i] = values[i];
        }
        return ints;
    }

    private static PeSection section(long va, long virtualSize, long pointer, long raw) {
        return new PeSection(".s", va, virtualSize, pointer, raw, PeImageBuilder.DATA, 0);
    }

    /** Printable bytes and NULs, with runs of up to {@code longest} bytes between NULs. */
    private static byte[] randomText(SplittableRandom random, int length, int longest) {
        byte[] data = new byte[length];
        int run = random.nextInt(longest + 1);
        for (int i = 0; i < length; i++) {
            if (run-- == 0) {
                data[i] = 0;
                run = random.nextInt(longest + 1);
            } else {
                data[i] = (byte) random.nextInt(0x20, 0x100);
            }
        }
        return data;
    }

    private static String asciizByDefinition(byte[] data, int offset, int maxLength) {
        int end = offset;
        while (end < data.length && end - offset < maxLength && data[end] != 0) {
            end++;
        }
        return new String(Arrays.copyOfRange(data, offset, end), StandardCharsets.ISO_8859_1);
    }

    /** The RVA mapping before AddressMap remembered sections: the first section in table order that holds it. */
    private static long toOffsetByDefinition(List<PeSection> sections, long sizeOfHeaders, long fileSize, long rva) {
        if (rva < 0) {
            return AddressMap.UNMAPPED;
        }
        for (PeSection s : sections) {
            long span = Math.max(s.virtualSize(), s.sizeOfRawData());
            if (rva >= s.virtualAddress() && rva - s.virtualAddress() < span) {
                long delta = rva - s.virtualAddress();
                if (delta >= s.sizeOfRawData()) {
                    return AddressMap.UNMAPPED;
                }
                long offset = s.pointerToRawData() + delta;
                return offset < fileSize ? offset : AddressMap.UNMAPPED;
            }
        }
        return rva < sizeOfHeaders && rva < fileSize ? rva : AddressMap.UNMAPPED;
    }

    /** MappedImage.name before it read from a window: one asciiz per name, for a map of the headers alone. */
    private static String nameByDefinition(ByteView data, long mapped, long rva, Anomalies anomalies) {
        if (rva >= mapped || rva >= data.size()) {
            anomalies.add(
                    PeAnomaly.Kind.UNMAPPED_RVA, 8, "name RVA 0x" + Long.toHexString(rva) + " is not in the file");
            return null;
        }
        try {
            String s = data.asciiz(rva, PeFile.MAX_NAME_LENGTH + 1, "name");
            if (s.length() > PeFile.MAX_NAME_LENGTH) {
                anomalies.add(PeAnomaly.Kind.LIMIT, rva, "name is longer than " + PeFile.MAX_NAME_LENGTH + " bytes");
                return null;
            }
            if (rva + s.length() >= data.size()) {
                anomalies.add(PeAnomaly.Kind.TRUNCATED, rva, "name is not NUL-terminated before end of file");
                return null;
            }
            return s;
        } catch (TruncatedException e) {
            anomalies.add(PeAnomaly.Kind.TRUNCATED, rva, e.getMessage());
            return null;
        }
    }
}
