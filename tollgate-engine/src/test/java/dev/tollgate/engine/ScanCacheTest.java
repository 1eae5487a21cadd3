package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.model.FileRecord;
import dev.tollgate.model.NpmPackageRecord;
import dev.tollgate.model.Report;
import dev.tollgate.report.ReportWriter;
import dev.tollgate.signatures.TrustAnchors;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan cache: entries by content, strict reading, safe directories and atomic writes. */
class ScanCacheTest {

    private static final Path FIXTURES = Path.of("..", "fixtures");
    private static final String CONTEXT = "c".repeat(64);

    /**
     * Real records: a signed PE (signatures with thumbprints and the chain's root, imports, sections, version), a zip
     * with files inside, and an Electron asar with npm packages.
     */
    private static List<FileRecord> signedDll;

    private static List<FileRecord> zip;

    private static List<FileRecord> asar;

    private final List<String> warnings = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void scanFixtures() throws IOException {
        TrustAnchors testRoot = TrustAnchors.standard(List.of(FIXTURES.resolve("pki/root.pem")), Map.of(), false);
        ScanEngine engine = ScanEngine.create(ScanOptions.defaults().withTrust(testRoot));
        signedDll = relative(engine.scan(List.of(FIXTURES.resolve("pe/orbit-signed.dll"))));
        zip = relative(engine.scan(List.of(FIXTURES.resolve("archive/sample.zip"))));
        asar = relative(engine.scan(List.of(FIXTURES.resolve("archive/sample.asar"))));
    }

    private static List<FileRecord> relative(Report report) {
        String top = report.files().getFirst().path();
        return report.files().stream().map(r -> relative(r, top.length())).toList();
    }

    private static FileRecord relative(FileRecord r, int prefix) {
        return new FileRecord(
                r.path().substring(prefix),
                r.size(),
                r.hashes(),
                r.type(),
                r.entropy(),
                r.signatures(),
                r.indicators(),
                r.pe(),
                r.referencedFiles(),
                r.npmPackages().stream()
                        .map(p -> new NpmPackageRecord(
                                p.name(), p.version(), p.path().substring(prefix)))
                        .toList());
    }

    private static ScanCache.Key keyOf(List<FileRecord> records, String name) {
        FileRecord top = records.getFirst();
        return new ScanCache.Key(CONTEXT, name, top.hashes().sha256(), top.size());
    }

    private ScanCache open(Path dir) {
        return ScanCache.directory(dir, warnings::add);
    }

    @Test
    void findsExactlyTheRecordsItStored(@TempDir Path tmp) {
        ScanCache cache = open(tmp.resolve("cache"));
        ScanCache.Key dll = keyOf(signedDll, "orbit-signed.dll");
        ScanCache.Key archive = keyOf(zip, "sample.zip");

        ScanCache.Key electron = keyOf(asar, "sample.asar");
        cache.store(dll, signedDll);
        cache.store(archive, zip);
        cache.store(electron, asar);

        assertThat(signedDll.getFirst().signatures()).singleElement().satisfies(s -> {
            assertThat(s.thumbprintSha1()).hasSize(40);
            assertThat(s.rootThumbprintSha256()).hasSize(64);
        });
        assertThat(asar.getFirst().npmPackages()).isNotEmpty();
        assertThat(cache.load(electron)).contains(asar);
        assertThat(signedDll.getFirst().pe()).isPresent();
        assertThat(zip).hasSizeGreaterThan(1);
        assertThat(cache.load(dll)).contains(signedDll);
        assertThat(cache.load(archive)).contains(zip);
        assertThat(cache.statistics()).isEqualTo(new ScanCache.Statistics(3, 0, 3));
        assertThat(warnings).isEmpty();
    }

    @Test
    void missesWhenContentNameOrContextDiffer(@TempDir Path tmp) {
        ScanCache cache = open(tmp.resolve("cache"));
        ScanCache.Key key = keyOf(signedDll, "orbit-signed.dll");
        cache.store(key, signedDll);

        String otherHash = "0" + key.sha256().substring(1);
        assertThat(cache.load(new ScanCache.Key(CONTEXT, key.name(), otherHash, key.size())))
                .isEmpty();
        assertThat(cache.load(new ScanCache.Key(CONTEXT, key.name(), key.sha256(), key.size() + 1)))
                .isEmpty();
        assertThat(cache.load(new ScanCache.Key(CONTEXT, "other.dll", key.sha256(), key.size())))
                .isEmpty();
        assertThat(cache.load(new ScanCache.Key("d".repeat(64), key.name(), key.sha256(), key.size())))
                .isEmpty();
        assertThat(cache.statistics().misses()).isEqualTo(4);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aTruncatedEntryIsAMissWithOneWarning(@TempDir Path tmp) throws IOException {
        DirectoryScanCache cache = (DirectoryScanCache) open(tmp.resolve("cache"));
        ScanCache.Key key = keyOf(signedDll, "orbit-signed.dll");
        cache.store(key, signedDll);
        Path entry = cache.entryFile(key);
        byte[] bytes = Files.readAllBytes(entry);
        Files.write(entry, Arrays.copyOf(bytes, bytes.length / 2));

        assertThat(cache.load(key)).isEmpty();
        assertThat(warnings)
                .singleElement()
                .asString()
                .contains(entry.toString())
                .contains("not valid JSON");
    }

    @Test
    void anEntryWithOneFieldChangedOrAddedIsRejectedWhole(@TempDir Path tmp) throws IOException {
        DirectoryScanCache cache = (DirectoryScanCache) open(tmp.resolve("cache"));
        ScanCache.Key key = keyOf(zip, "sample.zip");
        cache.store(key, zip);
        Path entry = cache.entryFile(key);
        String good = Files.readString(entry);

        List<String> tampered = List.of(
                good.replaceFirst("\"sha1\":\"[0-9a-f]{40}\"", "\"sha1\":\"xyz\""), // the model rejects it
                good.replace("\"format\":\"" + ScanCacheEntry.FORMAT + "\"", "\"format\":\"tollgate-scan-cache/0\""),
                good.replaceFirst("\"type\":", "\"extra\":1,\"type\":"),
                good.replaceFirst("\"entropy\":[0-9.E-]+", "\"entropy\":\"7\""),
                good.replaceFirst("\"size\":[0-9]+,\"files\"", "\"size\":1,\"files\""),
                good.replaceFirst("\"path\":\"!", "\"path\":\"/"),
                good + " {}",
                "");
        for (String content : tampered) {
            assertThat(content).isNotEqualTo(good);
            Files.writeString(entry, content);
            assertThat(cache.load(key)).as(content).isEmpty();
        }
        assertThat(warnings).hasSize(tampered.size()).allSatisfy(w -> assertThat(w)
                .startsWith("ignoring scan cache entry "));
        Files.writeString(entry, good);
        assertThat(cache.load(key)).contains(zip);
    }

    @Test
    void anEntryCopiedUnderAnotherKeysNameIsForeign(@TempDir Path tmp) throws IOException {
        DirectoryScanCache cache = (DirectoryScanCache) open(tmp.resolve("cache"));
        ScanCache.Key dll = keyOf(signedDll, "orbit-signed.dll");
        ScanCache.Key archive = keyOf(zip, "sample.zip");
        cache.store(dll, signedDll);
        Files.copy(cache.entryFile(dll), cache.entryFile(archive));

        assertThat(cache.load(archive)).isEmpty();
        assertThat(warnings).singleElement().asString().contains("written for another file");
    }

    @Test
    void anOversizedEntryIsNotRead(@TempDir Path tmp) throws IOException {
        DirectoryScanCache cache = (DirectoryScanCache) open(tmp.resolve("cache"));
        ScanCache.Key key = keyOf(signedDll, "orbit-signed.dll");
        try (var channel =
                Files.newByteChannel(Files.createFile(cache.entryFile(key)), java.nio.file.StandardOpenOption.WRITE)) {
            channel.position(DirectoryScanCache.MAX_ENTRY_BYTES);
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {'}'})); // sparse: no real 64 MiB written
        }

        assertThat(cache.load(key)).isEmpty();
        assertThat(warnings).singleElement().asString().contains("more than the limit");
    }

    @Test
    void anEntryThatIsASymbolicLinkIsNotFollowed(@TempDir Path tmp) throws IOException {
        DirectoryScanCache cache = (DirectoryScanCache) open(tmp.resolve("cache"));
        ScanCache.Key key = keyOf(signedDll, "orbit-signed.dll");
        cache.store(key, signedDll);
        Path elsewhere = Files.move(cache.entryFile(key), tmp.resolve("elsewhere.json"));
        Files.createSymbolicLink(cache.entryFile(key), elsewhere);

        assertThat(cache.load(key)).isEmpty();
        assertThat(warnings).singleElement().asString().contains("not a regular file");
    }

    @Test
    void createsItsDirectoryAndEntriesForTheOwnerOnly(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("a").resolve("cache");
        DirectoryScanCache cache = (DirectoryScanCache) open(dir);
        ScanCache.Key key = keyOf(signedDll, "orbit-signed.dll");
        cache.store(key, signedDll);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.entryFile(key))))
                .isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(cache.entryFile(key)); // no temporary or probe file left behind
        }
    }

    @Test
    void refusesADirectoryOthersCanWrite(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

        ScanCache cache = open(dir);

        assertThat(cache.enabled()).isFalse();
        assertThat(warnings)
                .singleElement()
                .asString()
                .contains("scan cache " + dir + " not used")
                .contains("writable by group or others");
    }

    @Test
    void refusesAFileInPlaceOfTheDirectory(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("cache"), "not a directory");

        assertThat(open(file).enabled()).isFalse();
        assertThat(warnings).singleElement().asString().contains("not a directory");
    }

    @Test
    void concurrentWritersAndReadersOnlySeeWholeEntries(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("cache");
        ScanCache.Key key = keyOf(zip, "sample.zip");
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Optional<List<FileRecord>>>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    ScanCache cache = open(dir); // each its own instance, as separate processes would be
                    start.await();
                    List<Optional<List<FileRecord>>> seen = new ArrayList<>();
                    for (int i = 0; i < 25; i++) {
                        cache.store(key, zip);
                        seen.add(cache.load(key));
                    }
                    return seen;
                }));
            }
            start.countDown();
            for (Future<List<Optional<List<FileRecord>>>> f : futures) {
                assertThat(f.get()).allSatisfy(loaded -> assertThat(loaded).contains(zip));
            }
        }
        assertThat(warnings).isEmpty();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void aStoreFailureIsOneWarningNotAnError(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("cache");
        ScanCache cache = open(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
        try {
            cache.store(keyOf(signedDll, "orbit-signed.dll"), signedDll);
            cache.store(keyOf(zip, "sample.zip"), zip);
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        if (!"root".equals(System.getProperty("user.name"))) { // root writes regardless of the mode
            assertThat(warnings).singleElement().asString().startsWith("cannot write to the scan cache");
        }
    }

    @Test
    void diffTakesThePreviousReleaseFromTheCacheAndReportsTheSame(@TempDir Path tmp) throws IOException {
        Path old = Files.createDirectories(tmp.resolve("old"));
        Path now = Files.createDirectories(tmp.resolve("new"));
        Files.copy(FIXTURES.resolve("pe/orbit-signed.dll"), old.resolve("orbit.dll"));
        Files.copy(FIXTURES.resolve("archive/sample.zip"), old.resolve("sample.zip"));
        Files.copy(FIXTURES.resolve("pe/orbit-1.2.4-signed.dll"), now.resolve("orbit.dll"));
        Files.copy(FIXTURES.resolve("archive/sample.zip"), now.resolve("sample.zip"));
        ScanCache cache = open(tmp.resolve("cache"));
        ScanEngine uncached = ScanEngine.create(ScanOptions.defaults());
        ScanEngine cached = ScanEngine.create(ScanOptions.defaults().withCache(cache));

        Report reference = uncached.diff(List.of(old), List.of(now));
        cached.scan(List.of(old)); // yesterday's scan of OLD
        assertThat(cache.statistics().stored()).isEqualTo(2);
        Report fromCache = cached.diff(List.of(old), List.of(now));

        assertThat(cache.statistics().hits()).isEqualTo(2);
        assertThat(fromCache).isEqualTo(reference);
        StringWriter a = new StringWriter();
        StringWriter b = new StringWriter();
        ReportWriter.json().write(reference, a);
        ReportWriter.json().write(fromCache, b);
        assertThat(b.toString()).isEqualTo(a.toString());
    }

    @Test
    void aChangedByteInThePreviousReleaseMisses(@TempDir Path tmp) throws IOException {
        Path old = Files.createDirectories(tmp.resolve("old"));
        Path dll = Files.copy(FIXTURES.resolve("pe/orbit-signed.dll"), old.resolve("orbit.dll"));
        ScanCache cache = open(tmp.resolve("cache"));
        ScanEngine engine = ScanEngine.create(ScanOptions.defaults().withCache(cache));
        engine.scan(List.of(old));

        byte[] bytes = Files.readAllBytes(dll);
        bytes[bytes.length / 2] ^= 1;
        Files.write(dll, bytes);
        Report report = engine.diff(List.of(old), List.of(FIXTURES.resolve("pe/orbit-signed.dll")));

        assertThat(cache.statistics().hits()).isZero();
        assertThat(cache.statistics().misses()).isEqualTo(1);
        assertThat(report.diff().orElseThrow().changes())
                .filteredOn(c -> c.previous().isPresent())
                .singleElement()
                .satisfies(c -> assertThat(c.previous().orElseThrow().hashes().sha256())
                        .isEqualTo(DigestStream.hex(DigestStream.Algorithm.SHA_256, bytes)));
    }

    @Test
    void theReleaseBeingVettedIsNeverTakenFromTheCache(@TempDir Path tmp) throws IOException {
        Path dll = FIXTURES.resolve("pe/orbit-sigflip.dll");
        ScanCache cache = open(tmp.resolve("cache"));
        ScanEngine engine = ScanEngine.create(ScanOptions.defaults().withCache(cache));
        engine.scan(List.of(dll));

        Report again = engine.scan(List.of(dll));
        Report diff = engine.diff(List.of(dll), List.of(dll));

        assertThat(cache.statistics().hits()).isEqualTo(1); // OLD of the diff only
        assertThat(again.findings()).extracting(f -> f.code()).contains("signature.appended-data");
        assertThat(diff.findings()).extracting(f -> f.code()).contains("signature.appended-data");
    }
}
