package dev.tollgate.formats.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.formats.ByteView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnpackerTest {

    @ParameterizedTest
    @CsvSource({
        "sample.zip, ZIP",
        "sample.tar.gz, GZIP",
        "sample.tar.xz, XZ",
        "sample.tar.bz2, BZIP2",
        "sample.tar.zst, ZSTD",
        "sample.7z, SEVEN_ZIP",
        "sample.deb, DEB",
        "sample.rpm, RPM",
        "sample.cab, CAB",
        "signed.msi, MSI",
        "sample.asar, ASAR",
        "links-out.tar, TAR",
        "signed.jar, ZIP"
    })
    void detectsContainersByContent(String name, ContainerType expected) throws IOException {
        assertThat(ContainerType.detect(ByteView.of(Collected.fixture(name)))).contains(expected);
    }

    @Test
    void doesNotTakeAPeForAContainer() throws IOException {
        assertThat(ContainerType.detect(ByteView.of(Collected.fixture("hello.dll"))))
                .isEmpty();
        assertThat(ContainerType.detect(ByteView.of(new byte[0]))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sample.zip", "sample.tar.gz", "sample.tar.xz", "sample.tar.bz2", "sample.tar.zst"})
    void listsTheSameTreeInEveryZipAndTarFlavour(String name) throws IOException {
        Collected c = Collected.unpack(name);

        assertThat(c.problems).isEmpty();
        assertThat(c.files).containsOnlyKeys("orbit-1.1.0/bin/hello.dll", "orbit-1.1.0/doc/README");
        assertThat(c.files.get("orbit-1.1.0/bin/hello.dll")).isEqualTo(Collected.fixture("hello.dll"));
        assertThat(c.members)
                .filteredOn(e -> e.kind() == EntryKind.SYMLINK)
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.path()).isEqualTo("orbit-1.1.0/bin/readme-link");
                    assertThat(e.linkTarget()).contains("../doc/README");
                });
    }

    @Test
    void readsSevenZipWithItsUnixSymlink() throws IOException {
        Collected c = Collected.unpack("sample.7z");

        assertThat(c.problems).isEmpty();
        assertThat(c.files).containsOnlyKeys("orbit-1.1.0/bin/hello.dll", "orbit-1.1.0/doc/README");
        assertThat(c.members)
                .filteredOn(e -> e.kind() == EntryKind.SYMLINK)
                .singleElement()
                .satisfies(e -> assertThat(e.linkTarget()).contains("../doc/README"));
        assertThat(c.files.get("orbit-1.1.0/bin/hello.dll")).isEqualTo(Collected.fixture("hello.dll"));
    }

    @Test
    void namesASingleCompressedFileAfterItsContainer() throws IOException {
        Collected c = Collected.unpack("hello.dll.gz");

        assertThat(c.files).containsOnlyKeys("hello.dll");
        assertThat(c.files.get("hello.dll")).isEqualTo(Collected.fixture("hello.dll"));
    }

    @Test
    void readsDebianPackageMembers() throws IOException {
        Collected c = Collected.unpack("sample.deb");

        assertThat(c.problems).isEmpty();
        assertThat(c.files.keySet()).contains("debian-binary", "data.tar.xz");
        assertThat(c.files.keySet()).anyMatch(k -> k.startsWith("control.tar."));
        assertThat(new String(c.files.get("debian-binary"))).isEqualTo("2.0\n");
    }

    @Test
    void readsRpmPayloadThroughItsCompressor() throws IOException {
        Collected c = Collected.unpack("sample.rpm");

        assertThat(c.problems).isEmpty();
        assertThat(c.files).containsOnlyKeys("usr/lib/orbit/hello.dll");
        assertThat(c.files.get("usr/lib/orbit/hello.dll")).isEqualTo(Collected.fixture("hello.dll"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sample.cab", "stored.cab"})
    void readsCabinetsStoredAndMszip(String name) throws IOException {
        Collected c = Collected.unpack(name);

        assertThat(c.problems).isEmpty();
        assertThat(c.files).containsOnlyKeys("hello.dll", "readme.txt");
        assertThat(c.files.get("hello.dll")).isEqualTo(Collected.fixture("hello.dll"));
        assertThat(new String(c.files.get("readme.txt"))).isEqualTo("readme for the cab\n");
    }

    @Test
    void readsLzxCabinets() throws IOException {
        Collected c = Collected.unpack("lzx.cab");

        assertThat(c.problems).isEmpty();
        assertThat(c.files).containsOnlyKeys("hello.dll", "readme.txt");
        assertThat(c.files.get("hello.dll")).isEqualTo(Collected.fixture("hello.dll"));
        assertThat(new String(c.files.get("readme.txt"))).isEqualTo("readme for the lzx cab\n");
    }

    @Test
    void reportsACorruptLzxCabinetAsTruncatedNotAsAnError() throws IOException {
        byte[] cab = Collected.fixture("lzx.cab");
        int dataAt = java.nio.ByteBuffer.wrap(cab)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getInt(36); // coffCabStart
        java.util.Arrays.fill(cab, dataAt, dataAt + 4, (byte) 0); // no checksum, so the decoder sees the damage
        for (int i = dataAt + 8 + 40; i < dataAt + 8 + 400; i++) {
            cab[i] = (byte) (i * 31);
        }
        Collected c = Collected.unpack("lzx.cab", cab, Limits.defaults());

        assertThat(c.problems).isNotEmpty().allSatisfy(p -> assertThat(p.kind()).isEqualTo(ProblemKind.TRUNCATED));
    }

    @Test
    void namesMsiFilesByTheirInstallPath() throws IOException {
        Collected c = Collected.unpack("signed.msi");

        assertThat(c.problems).isEmpty();
        assertThat(c.files)
                .containsOnlyKeys("ProgramFilesFolder/Orbit/Orbit Phone/d3dcompiler_47.dll", "Binary.SetupHelper");
        assertThat(c.files.get("ProgramFilesFolder/Orbit/Orbit Phone/d3dcompiler_47.dll"))
                .isEqualTo(Collected.fixture("hello.dll"));
    }

    @Test
    void listsAsarFilesLinksAndUnpackedFiles() throws IOException {
        Collected c = Collected.unpack("sample.asar");

        assertThat(c.problems).isEmpty();
        assertThat(c.files)
                .containsOnlyKeys(
                        "package.json",
                        "main.js",
                        "node_modules/left-pad/package.json",
                        "node_modules/left-pad/index.js");
        assertThat(new String(c.files.get("main.js"))).contains("update.orbit.example");
        assertThat(c.members)
                .extracting(Entry::path, Entry::kind)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("native.node", EntryKind.EXTERNAL),
                        org.assertj.core.groups.Tuple.tuple("current", EntryKind.SYMLINK));
    }

    @Test
    void reportsEveryTraversalAndDuplicateButStillVetsTheContent() throws IOException {
        Collected c = Collected.unpack("traversal.zip");

        assertThat(c.problems)
                .filteredOn(p -> p.kind() == ProblemKind.PATH_TRAVERSAL)
                .extracting(Problem::entry)
                .containsExactlyInAnyOrder(
                        "../../evil.txt",
                        "/etc/cron.d/evil",
                        "C:/Windows/System32/evil.dll",
                        "..\\..\\windows-style.txt");
        assertThat(c.kinds()).contains(ProblemKind.DUPLICATE);
        assertThat(c.files).containsKeys("evil.txt", "etc/cron.d/evil", "Windows/System32/evil.dll", "ok/fine.txt");
    }

    @Test
    void writesNothingOutsideItsPrivateDirectoryAndRemovesIt(@TempDir Path root) throws IOException {
        byte[] bytes = Collected.fixture("traversal.zip");
        Limits spillEverything = Limits.defaults().withMemoryThreshold(1);
        List<Path> seenDuringVisit = new ArrayList<>();
        Collected c = new Collected() {
            @Override
            public void file(Entry entry, ByteView content) {
                super.file(entry, content);
                try (var s = Files.walk(root)) {
                    s.filter(Files::isRegularFile).forEach(seenDuringVisit::add);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        try (Unpacker u = Unpacker.create(spillEverything, bytes.length, root)) {
            u.unpack("traversal.zip", ByteView.of(bytes), ContainerType.ZIP, 0, c);
            try (var s = Files.list(root)) {
                Path dir = s.findFirst().orElseThrow();
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                        .isEqualTo("rwx------");
            }
        }

        assertThat(c.files).hasSize(5);
        assertThat(seenDuringVisit)
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.getFileName().toString()).startsWith("entry-"))
                .allSatisfy(p -> assertThat(p.getParent().getParent()).isEqualTo(root));
        try (var s = Files.list(root)) {
            assertThat(s.toList()).isEmpty();
        }
        assertThat(Path.of("evil.txt")).doesNotExist();
        assertThat(root.resolve("../evil.txt").normalize()).doesNotExist();
    }

    @Test
    void spillsLargeEntriesToATemporaryFileWithTheSameContent(@TempDir Path root) throws IOException {
        byte[] bytes = Collected.fixture("sample.cab");
        Collected c = new Collected();
        try (Unpacker u = Unpacker.create(Limits.defaults().withMemoryThreshold(1024), bytes.length, root)) {
            u.unpack("sample.cab", ByteView.of(bytes), ContainerType.CAB, 0, c);
        }
        assertThat(c.files.get("hello.dll")).isEqualTo(Collected.fixture("hello.dll"));
        try (var s = Files.list(root)) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void reportsSymlinkInZipPointingOutOfTheArchive() throws IOException {
        Collected c = Collected.unpack("symlink-out.zip");

        assertThat(c.problems).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ProblemKind.LINK);
            assertThat(p.evidence()).containsEntry("target", "../../../etc/passwd");
        });
        assertThat(c.files).containsOnlyKeys("inside.txt");
    }

    @Test
    void reportsTarLinksPointingOutButNotThoseInside() throws IOException {
        Collected c = Collected.unpack("links-out.tar");

        assertThat(c.problems)
                .extracting(Problem::kind, Problem::entry)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(ProblemKind.LINK, "sym-abs"),
                        org.assertj.core.groups.Tuple.tuple(ProblemKind.LINK, "sym-up"),
                        org.assertj.core.groups.Tuple.tuple(ProblemKind.LINK, "hard-up"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard: speed is measured by the benchmarks
    void refusesTwoGibibyteZipOfZerosQuicklyFromItsDeclaredSizes() throws IOException {
        Collected c = Collected.unpack("bomb-2gib.zip");

        assertThat(c.kinds()).containsExactly(ProblemKind.BOMB);
        assertThat(c.problems.getFirst().evidence()).containsEntry("expandedBytes", 2L << 30);
        assertThat(c.files).isEmpty();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard: speed is measured by the benchmarks
    void refusesTwoGibibyteTarGzOfZerosWhileStreaming() throws IOException {
        Collected c = Collected.unpack("bomb-2gib.tar.gz");

        assertThat(c.kinds()).containsExactly(ProblemKind.BOMB);
        assertThat(c.files).isEmpty();
    }

    @Test
    void reportsEncryptedZipEntriesWithoutTheirContent() throws IOException {
        Collected c = Collected.unpack("encrypted.zip");

        assertThat(c.kinds()).containsExactly(ProblemKind.ENCRYPTED);
        assertThat(c.files).isEmpty();
        assertThat(c.members).singleElement().satisfies(e -> assertThat(e.encrypted())
                .isTrue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"truncated.zip", "truncated.tar.gz", "truncated.cab"})
    void reportsTruncatedArchivesAndKeepsWhatCameBefore(String name) throws IOException {
        Collected c = Collected.unpack(name);

        assertThat(c.kinds()).contains(ProblemKind.TRUNCATED);
    }

    @Test
    void stopsAtTheEntryLimit() {
        Collected c = Collected.unpack("many.zip", zipOf(101), Limits.defaults().withMaxEntries(100));

        assertThat(c.kinds()).containsExactly(ProblemKind.LIMIT);
        assertThat(c.files).hasSize(100);
    }

    @Test
    void stopsAtTheTotalLimitAcrossEntries() {
        Limits small = Limits.defaults().withMaxTotalBytes(50);
        Collected c = Collected.unpack("many.zip", zipOf(20), small);

        assertThat(c.kinds()).containsExactly(ProblemKind.LIMIT);
        assertThat(c.problems.getFirst().evidence()).containsEntry("limit", "maxTotalBytes");
    }

    @Test
    void refusesContainersNestedBeyondTheDepthLimit() {
        Collected c = new Collected();
        byte[] zip = zipOf(1);
        try (Unpacker u = Unpacker.create(Limits.defaults().withMaxDepth(3), zip.length)) {
            u.unpack("deep.zip", ByteView.of(zip), ContainerType.ZIP, 3, c);
        }
        assertThat(c.kinds()).containsExactly(ProblemKind.LIMIT);
        assertThat(c.files).isEmpty();
    }

    @Test
    void reportsGarbageAsTruncatedInsteadOfThrowing() {
        byte[] garbage = "PK\u0003\u0004 this is not really a zip at all".getBytes();
        for (ContainerType type : ContainerType.values()) {
            Collected c = new Collected();
            try (Unpacker u = Unpacker.create(Limits.defaults(), garbage.length)) {
                u.unpack("garbage", ByteView.of(garbage), type, 0, c);
            }
            assertThat(c.files).as(type.label()).isEmpty();
        }
    }

    /** A zip of {@code n} five-byte entries. */
    static byte[] zipOf(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (int i = 0; i < n; i++) {
                z.putNextEntry(new ZipEntry("f" + i + ".txt"));
                z.write("hello".getBytes());
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
