package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.formats.archive.SpoolMemory;
import dev.tollgate.model.Finding;
import dev.tollgate.model.PreviousRelease;
import dev.tollgate.model.Report;
import dev.tollgate.model.Severity;
import dev.tollgate.model.Verdict;
import dev.tollgate.model.Vetting;
import dev.tollgate.policy.Policy;
import dev.tollgate.policy.PolicyLoader;
import dev.tollgate.report.RecordCodec;
import dev.tollgate.signatures.TrustAnchors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine as a server calls it: vetting apart from deciding, records of a previous release from elsewhere, inputs
 * named by the caller, one pool and one spool allowance for every engine, and the stored form of a vetting.
 */
class EngineLibraryTest {

    private static final Path PE = Path.of("..", "fixtures", "pe");

    @TempDir
    Path dir;

    private ScanOptions options() throws IOException {
        return ScanOptions.defaults()
                .withTrust(TrustAnchors.of(TrustAnchors.readPem(Path.of("..", "fixtures", "pki", "root.pem"))));
    }

    private Path release(String name, String... fixtures) throws IOException {
        Path root = Files.createDirectories(dir.resolve(name));
        for (String fixture : fixtures) {
            String[] parts = fixture.split("=");
            Files.copy(PE.resolve(parts[0]), root.resolve(parts[1]));
        }
        return root;
    }

    @Test
    void vettingKeepsTheAnalyzersSeveritiesAndAPolicyDecidesItAgainLater() throws Exception {
        Path release = release("r", "orbit-sigflip.dll=d3dcompiler_47.dll", "orbit-trojanized.dll=ffmpeg.dll");
        ScanEngine engine = ScanEngine.create(options());

        Vetting vetting = engine.vetRelease(ReleaseInput.of(List.of(release)));

        assertThat(vetting.findings())
                .filteredOn(f -> f.code().equals("signature.appended-data"))
                .extracting(Finding::severity)
                .containsExactly(Severity.CRITICAL);
        assertThat(Policy.defaults().decide(vetting).verdict()).isEqualTo(Verdict.BLOCK);
        Policy lenient = PolicyLoader.parse("severities:\n  signature.appended-data: medium\n", "lenient.yaml");
        Report again = lenient.decide(vetting);
        assertThat(again.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(again.files()).isEqualTo(vetting.files());
        // The same as a scan that decides at once.
        assertThat(engine.scan(List.of(release)).findings())
                .isEqualTo(Policy.defaults().decide(vetting).findings());
    }

    @Test
    void diffsAgainstRecordsKeptElsewhereAsAgainstTheFiles() throws IOException {
        Path v1 = release("1.0", "orbit-signed.dll=d3dcompiler_47.dll", "orbit-signed.dll=ffmpeg.dll");
        Path v2 = release("1.1", "orbit-sigflip.dll=d3dcompiler_47.dll", "orbit-trojanized.dll=ffmpeg.dll");
        ScanEngine engine = ScanEngine.create(options());
        PreviousRelease previous = engine.previousRelease(ReleaseInput.of(List.of(v1)));
        // As a database would give them back: through the stored form.
        Vetting stored = new Vetting(ScanEngine.version(), previous.files(), List.of(), java.util.Optional.empty());
        PreviousRelease reread =
                new PreviousRelease(previous.roots(), readBack(stored).files());

        Report fromRecords = Policy.defaults().decide(engine.vetRelease(ReleaseInput.of(List.of(v2)), reread));
        Report fromFiles = engine.diff(List.of(v1), List.of(v2));

        assertThat(fromRecords).isEqualTo(fromFiles);
        assertThat(fromRecords.findings()).extracting(Finding::code).contains("diff.signer-changed");
    }

    @Test
    void namesInputsAsTheCallerSays() throws IOException {
        Path blob = Files.copy(
                PE.resolve("orbit-signed.dll"),
                Files.createDirectories(dir.resolve("3f")).resolve("blob"));
        Path tree = release("tree", "orbit-signed.dll=a.dll");

        Vetting vetting = ScanEngine.create(options())
                .vetRelease(
                        List.of(new ReleaseInput(blob, "OrbitPhone.dll"), new ReleaseInput(tree, "OrbitPhone-1.0")));

        assertThat(vetting.files())
                .extracting(dev.tollgate.model.FileRecord::path)
                .containsExactly("OrbitPhone-1.0/a.dll", "OrbitPhone.dll");
        assertThatThrownBy(() -> new ReleaseInput(blob, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void enginesShareTheCallersPoolAndLeaveItRunning() throws Exception {
        Path release = release("r", "orbit-signed.dll=a.dll", "orbit-sigflip.dll=b.dll", "orbit-trojanized.dll=c.dll");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        SpoolMemory memory = SpoolMemory.of(SpoolMemory.DEFAULT_CAPACITY);
        try {
            ScanOptions shared = options().withExecutor(pool).withSpoolMemory(memory);
            Report first = ScanEngine.create(shared).scan(List.of(release));
            Report second = ScanEngine.create(shared).scan(List.of(release));

            assertThat(first).isEqualTo(second);
            assertThat(first).isEqualTo(ScanEngine.create(options()).scan(List.of(release)));
            assertThat(pool.isShutdown()).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aVettingWithItsDiffReadsBackEqual() throws Exception {
        Path v1 = release("1.0", "orbit-signed.dll=d3dcompiler_47.dll", "orbit-signed.dll=ffmpeg.dll");
        Path v2 = release("1.1", "orbit-sigflip.dll=d3dcompiler_47.dll", "orbit-trojanized.dll=new.dll");
        ScanEngine engine = ScanEngine.create(options());
        Vetting vetting =
                engine.vetRelease(ReleaseInput.of(List.of(v2)), engine.previousRelease(ReleaseInput.of(List.of(v1))));

        Vetting back = readBack(vetting);

        assertThat(back.files()).isEqualTo(vetting.files());
        assertThat(back.diff()).isEqualTo(vetting.diff());
        assertThat(back.findings()).extracting(Finding::code).isEqualTo(codes(vetting));
        assertThat(Policy.defaults().decide(back).verdict())
                .isEqualTo(Policy.defaults().decide(vetting).verdict());
    }

    @Test
    void aStoredVettingThatWasTamperedWithIsRefusedWithItsReason() {
        byte[] good = RecordCodec.writeVetting(new Vetting("1", List.of(), List.of(), java.util.Optional.empty()));
        String json = new String(good, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RecordCodec.readVetting(
                        json.replace("tollgate-vetting/1", "other/9").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RecordCodec.MalformedRecordException.class)
                .hasMessageContaining("format other/9");
        assertThatThrownBy(
                        () -> RecordCodec.readVetting(json.replace("\"findings\":[]", "\"findings\":[{\"code\":\"x\"}]")
                                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RecordCodec.MalformedRecordException.class)
                .hasMessageContaining("finding lacks");
        assertThatThrownBy(() -> RecordCodec.readVetting((json + "{}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RecordCodec.MalformedRecordException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> RecordCodec.readVetting(
                        json.substring(0, json.length() / 2).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RecordCodec.MalformedRecordException.class);
    }

    private static List<String> codes(Vetting v) {
        return v.findings().stream().map(Finding::code).toList();
    }

    private static Vetting readBack(Vetting v) throws IOException {
        try {
            return RecordCodec.readVetting(RecordCodec.writeVetting(v));
        } catch (RecordCodec.MalformedRecordException e) {
            throw new IOException(e);
        }
    }
}
