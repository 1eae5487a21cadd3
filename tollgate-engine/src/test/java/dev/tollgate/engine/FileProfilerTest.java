package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.pe.ByteRange;
import dev.tollgate.formats.pe.PeFile;
import dev.tollgate.formats.pe.PeSection;
import dev.tollgate.model.FileType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileProfilerTest {

    /** A deterministic pattern over more than three chunks; its digests were taken with sha256sum, sha1sum, md5sum. */
    static byte[] pattern() {
        byte[] b = new byte[3 * 1024 * 1024 + 12345];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ((i * 2654435761L) >>> 13);
        }
        return b;
    }

    @Test
    void hashesMatchCoreutilsAcrossChunks() {
        FileProfile p = FileProfiler.profile(ByteView.of(pattern()));

        assertThat(p.size()).isEqualTo(3 * 1024 * 1024 + 12345);
        assertThat(p.hashes().sha256()).isEqualTo("1a0890dc1decb3e8024d4938352598736fb0fb1a758b00e88683e2b090ad1c4e");
        assertThat(p.hashes().sha1()).isEqualTo("29db7e387bf3621d0776dbad8db1babc3f06e146");
        assertThat(p.hashes().md5()).isEqualTo("0a2f09d0bbcb9d53b71f8c9faf5d0d60");
    }

    @Test
    void hashesOfAbcAreTheStandardTestVectors() {
        FileProfile p = FileProfiler.profile(ByteView.of("abc".getBytes(StandardCharsets.US_ASCII)));

        assertThat(p.hashes().sha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(p.hashes().sha1()).isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
        assertThat(p.hashes().md5()).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
    }

    @Test
    void emptyFileHasEmptyDigestsAndZeroEntropy() {
        FileProfile p = FileProfiler.profile(ByteView.of(new byte[0]));

        assertThat(p.size()).isZero();
        assertThat(p.entropy()).isZero();
        assertThat(p.type()).isEqualTo(FileType.EMPTY);
        assertThat(p.hashes().sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(p.hashes().md5()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
    }

    @Test
    void entropyOfConstantDataIsZero() {
        byte[] zeros = new byte[100_000];
        assertThat(FileProfiler.profile(ByteView.of(zeros)).entropy()).isZero();
    }

    @Test
    void entropyOfEveryByteValueEquallyOftenIsEight() {
        byte[] all = new byte[256 * 50];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        assertThat(FileProfiler.profile(ByteView.of(all)).entropy()).isCloseTo(8.0, within(1e-9));
    }

    @Test
    void entropyOfTwoEquallyFrequentValuesIsOneBit() {
        byte[] two = new byte[1000];
        Arrays.fill(two, 0, 500, (byte) 'A');
        Arrays.fill(two, 500, 1000, (byte) 'B');
        assertThat(FileProfiler.profile(ByteView.of(two)).entropy()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void findsIndicatorsStraddlingAChunkBoundary() {
        byte[] data = new byte[FileProfiler.CHUNK * 2];
        byte[] url = "https://c2.badcorp.example.com/beacon".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(url, 0, data, FileProfiler.CHUNK - 10, url.length);

        FileProfile p = FileProfiler.profile(ByteView.of(data));

        assertThat(p.indicators().urls()).containsExactly("https://c2.badcorp.example.com/beacon");
        assertThat(p.indicators().domains()).containsExactly("c2.badcorp.example.com");
    }

    @Test
    void findsIndicatorsInUtf16LeStrings() {
        byte[] wide = "\u0000\u0001connect to 203.0.113.7 or evil-updates.net".getBytes(StandardCharsets.UTF_16LE);

        FileProfile p = FileProfiler.profile(ByteView.of(wide));

        assertThat(p.indicators().ips()).containsExactly("203.0.113.7");
        assertThat(p.indicators().domains()).containsExactly("evil-updates.net");
    }

    @Test
    void measuresEachSectionInThePassAsThePeParserWould() throws Exception {
        ByteView dll = ByteView.of(Files.readAllBytes(Path.of("..", "fixtures", "pe", "orbit-signed.dll")));
        List<ByteRange> sections = PeFile.sectionData(dll);

        FileProfile p = FileProfiler.profile(dll, sections);

        assertThat(sections).hasSizeGreaterThan(3);
        assertThat(p.regionEntropy()).containsOnlyKeys(sections);
        List<PeSection> parsed = PeFile.parse(dll).sections().stream()
                .filter(section -> section.sizeOfRawData() > 0) // .bss has no bytes in the file
                .toList();
        assertThat(parsed).hasSameSizeAs(sections);
        for (PeSection section : parsed) {
            ByteRange raw = new ByteRange(section.pointerToRawData(), section.sizeOfRawData());
            assertThat(p.regionEntropy().get(raw)).as(section.name()).isEqualTo(section.entropy());
        }
        assertThat(p.entropy()).isEqualTo(FileProfiler.profile(dll).entropy());
    }

    @Test
    void leavesOverlappingRegionsToTheirReader() {
        byte[] bytes = pattern();
        List<ByteRange> regions = List.of(
                new ByteRange(0, 100_000),
                new ByteRange(10, 20),
                new ByteRange(50_000, 10),
                new ByteRange(200_000, 5_000_000), // past the end
                new ByteRange(300_000, 1_000_000),
                new ByteRange(1_300_000, 7));

        FileProfile p = FileProfiler.profile(ByteView.of(bytes), regions);

        assertThat(p.regionEntropy()).containsOnlyKeys(new ByteRange(300_000, 1_000_000), new ByteRange(1_300_000, 7));
        assertThat(p.entropy())
                .isEqualTo(FileProfiler.profile(ByteView.of(bytes)).entropy());
    }
}
