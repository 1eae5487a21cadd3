package dev.tollgate.yara;

import static dev.tollgate.yara.TestData.TAG;
import static dev.tollgate.yara.TestData.bytes;
import static dev.tollgate.yara.TestData.path;
import static dev.tollgate.yara.TestData.withAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YaraRulesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static YaraRules tagRules;
    private static YaraRules moduleRules;

    @TempDir
    Path tmp;

    @BeforeAll
    static void compile() throws Exception {
        tagRules = YaraRules.compile(List.of(path("rules/tag.yar")));
        moduleRules = YaraRules.compile(List.of(path("rules/modules.yar")));
    }

    @AfterAll
    static void close() {
        tagRules.close();
        moduleRules.close();
    }

    @Test
    void reportsEveryMatchOfTheSigflipTagAtItsExactOffset() throws Exception {
        byte[] data = withAt(4096, TAG, 100, 3000);

        List<YaraMatch> matches = tagRules.scan(bytes(data), TIMEOUT);

        assertThat(matches).singleElement().satisfies(m -> {
            assertThat(m.rule()).isEqualTo("sigflip_tag");
            assertThat(m.namespace()).isEqualTo("tag.yar");
            assertThat(m.strings())
                    .containsExactly(new YaraStringMatch("$tag", 100, 8), new YaraStringMatch("$tag", 3000, 8));
            assertThat(m.truncated()).isFalse();
        });
    }

    @Test
    void readsTagsAndEveryMetaTypeInDeclarationOrder() throws Exception {
        YaraMatch m = tagRules.scan(bytes(withAt(64, TAG, 0)), TIMEOUT).getFirst();

        assertThat(m.tags()).containsExactly("tamper", "sigflip");
        assertThat(m.meta())
                .containsExactly(
                        org.assertj.core.api.Assertions.entry(
                                "description",
                                "the SigFlip tag FE ED FA CE FE ED FA CE, as appended in the 3CX d3dcompiler_47.dll"),
                        org.assertj.core.api.Assertions.entry("severity", "critical"),
                        org.assertj.core.api.Assertions.entry("score", 95L),
                        org.assertj.core.api.Assertions.entry("reviewed", true));
    }

    @Test
    void matchesWideStringsWithTheirByteLength() throws Exception {
        byte[] wide = "tollgate-test-marker".getBytes(StandardCharsets.UTF_16LE);
        YaraMatch m = tagRules.scan(bytes(withAt(1000, wide, 501)), TIMEOUT).getFirst();

        assertThat(m.strings()).containsExactly(new YaraStringMatch("$marker", 501, wide.length));
    }

    @Test
    void leavesPrivateStringsOutOfTheEvidence() throws Exception {
        byte[] data = withAt(200, "hidden-helper".getBytes(StandardCharsets.US_ASCII), 10);

        assertThat(tagRules.scan(bytes(data), TIMEOUT)).singleElement().satisfies(m -> assertThat(m.strings())
                .isEmpty());
    }

    @Test
    void reportsNothingForCleanData() throws Exception {
        assertThat(tagRules.scan(bytes(new byte[10_000]), TIMEOUT)).isEmpty();
        assertThat(tagRules.scan(bytes(new byte[0]), TIMEOUT)).isEmpty();
    }

    @Test
    void boundsTheMatchesReportedPerString() throws Exception {
        int[] offsets = new int[100];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = i * 16;
        }
        YaraMatch m = tagRules.scan(bytes(withAt(2000, TAG, offsets)), TIMEOUT).getFirst();

        assertThat(m.strings()).hasSize(YaraRules.MAX_MATCHES_PER_STRING);
        assertThat(m.strings().getLast().offset()).isEqualTo((YaraRules.MAX_MATCHES_PER_STRING - 1) * 16L);
        assertThat(m.truncated()).isTrue();
    }

    @Test
    void scansAMemoryMappedFileInPlace() throws Exception {
        Path file = tmp.resolve("mapped.bin");
        Files.write(file, withAt(1 << 20, TAG, (1 << 20) - 8));
        try (Arena arena = Arena.ofConfined();
                FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);

            YaraMatch m = tagRules.scan(mapped.asReadOnly(), TIMEOUT).getFirst();

            assertThat(m.strings()).containsExactly(new YaraStringMatch("$tag", (1 << 20) - 8, 8));
        }
    }

    @Test
    void readsMatchesThatLibyaraStoresAtUnalignedAddresses() throws Exception {
        // Bug found in testing: libyara packs YR_MATCH records (followed by the matched bytes) in its notebook
        // allocator, so after an odd-length match the next record sits at an odd address.
        String text = " abc 10.0.0.1 abcde 10.0.0.22 abc ";
        try (YaraRules rules = YaraRules.builder()
                .addSource(
                        "odd",
                        "rule odd { strings: $a = \"abc\" $b = \"10.0.0.1\" $c = \"abcde\" condition: any of them }")
                .compile()) {
            YaraMatch m = rules.scan(bytes(text.getBytes(StandardCharsets.US_ASCII)), TIMEOUT)
                    .getFirst();

            assertThat(m.strings())
                    .containsExactly(
                            new YaraStringMatch("$a", 1, 3),
                            new YaraStringMatch("$a", 14, 3),
                            new YaraStringMatch("$a", 30, 3),
                            new YaraStringMatch("$b", 5, 8),
                            new YaraStringMatch("$c", 14, 5));
        }
    }

    @Test
    void peModuleSeesImports() throws Exception {
        byte[] exe = Files.readAllBytes(path("tiny.exe"));

        assertThat(moduleRules.scan(bytes(exe), TIMEOUT))
                .extracting(YaraMatch::rule)
                .containsExactly("imports_virtualalloc");
    }

    @Test
    void mathModuleMeasuresEntropy() throws Exception {
        byte[] random = new byte[64 * 1024];
        new Random(42).nextBytes(random);

        assertThat(moduleRules.scan(bytes(random), TIMEOUT))
                .extracting(YaraMatch::rule)
                .containsExactly("high_entropy");
        assertThat(moduleRules.scan(bytes(new byte[64 * 1024]), TIMEOUT)).isEmpty();
    }

    @Test
    void hashModuleComputesSha256() throws Exception {
        assertThat(moduleRules.scan(bytes("tollgate".getBytes(StandardCharsets.US_ASCII)), TIMEOUT))
                .extracting(YaraMatch::rule)
                .containsExactly("known_sha256");
        assertThat(moduleRules.scan(bytes("tollgatf".getBytes(StandardCharsets.US_ASCII)), TIMEOUT))
                .isEmpty();
    }

    @Test
    void givesFileLineAndLibyaraMessageForASyntaxError() {
        Path bad = path("bad-syntax.yar");

        assertThatThrownBy(() -> YaraRules.compile(List.of(bad)))
                .isInstanceOfSatisfying(YaraCompileException.class, e -> {
                    assertThat(e.getMessage()).startsWith(bad + ":7: syntax error");
                    assertThat(e.diagnostics()).first().satisfies(d -> {
                        assertThat(d.error()).isTrue();
                        assertThat(d.file()).isEqualTo(bad.toString());
                        assertThat(d.line()).isEqualTo(7);
                    });
                });
    }

    @Test
    void refusesAFileThatIsNotYara() throws Exception {
        Path notYara = tmp.resolve("readme.yar");
        Files.writeString(notYara, "This is a release note.\nVersion 1.2 fixes bugs.\n");
        Path binary = tmp.resolve("binary.yar");
        Files.copy(path("tiny.exe"), binary);

        assertThatThrownBy(() -> YaraRules.compile(List.of(notYara)))
                .isInstanceOf(YaraCompileException.class)
                .hasMessageStartingWith(notYara + ":1: ");
        assertThatThrownBy(() -> YaraRules.compile(List.of(binary)))
                .isInstanceOf(YaraCompileException.class)
                .hasMessageStartingWith(binary + ":1: ");
    }

    @Test
    void reportsUndefinedIdentifiersWithTheirLine() throws Exception {
        Path rules = tmp.resolve("undefined.yar");
        Files.writeString(rules, "rule a { condition: true }\n\nrule b { condition: nosuch }\n");

        assertThatThrownBy(() -> YaraRules.compile(List.of(rules)))
                .isInstanceOf(YaraCompileException.class)
                .hasMessage(rules + ":3: undefined identifier \"nosuch\"");
    }

    @Test
    void refusesMissingPathsAndEmptyDirectories() throws Exception {
        Path missing = tmp.resolve("missing.yar");
        Path empty = Files.createDirectory(tmp.resolve("empty"));

        assertThatThrownBy(() -> YaraRules.compile(List.of(missing)))
                .isInstanceOf(YaraCompileException.class)
                .hasMessage(missing + ":0: no such file or directory");
        assertThatThrownBy(() -> YaraRules.compile(List.of(empty)))
                .isInstanceOf(YaraCompileException.class)
                .hasMessage(empty + ":0: no .yar or .yara files in this directory");
    }

    @Test
    void compilesEveryRuleFileUnderADirectoryEachInItsOwnNamespace() throws Exception {
        try (YaraRules rules = YaraRules.compile(List.of(path("rules/dir")))) {
            assertThat(rules.scan(bytes(new byte[1]), TIMEOUT))
                    .extracting(m -> m.namespace() + ":" + m.rule())
                    .containsExactly("a.yar:one", "b.yara:two");
        }
    }

    @Test
    void resolvesIncludesRelativeToTheIncludingFile() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("set/common"));
        Files.writeString(dir.resolve("strings.yar"), "rule included { condition: true }\n");
        Path index = Files.writeString(tmp.resolve("set/index.yar"), "include \"common/strings.yar\"\n");

        try (YaraRules rules = YaraRules.compile(List.of(index))) {
            assertThat(rules.scan(bytes(new byte[1]), TIMEOUT))
                    .extracting(YaraMatch::rule)
                    .containsExactly("included");
        }
    }

    @Test
    void allowsTheSameRuleNameInTwoFiles() throws Exception {
        Path a = Files.writeString(tmp.resolve("a.yar"), "rule same { condition: true }\n");
        Path b = Files.writeString(tmp.resolve("b.yar"), "rule same { condition: true }\n");

        try (YaraRules rules = YaraRules.compile(List.of(a, b))) {
            assertThat(rules.scan(bytes(new byte[1]), TIMEOUT)).hasSize(2);
        }
    }

    @Test
    void compilesRuleTextUnderItsNamespace() throws Exception {
        try (YaraRules rules = YaraRules.builder()
                .addSource("generated", "rule g { strings: $a = \"abc\" condition: $a }")
                .compile()) {
            assertThat(rules.scan(bytes("xxabc".getBytes(StandardCharsets.US_ASCII)), TIMEOUT))
                    .singleElement()
                    .satisfies(m -> assertThat(m.namespace()).isEqualTo("generated"));
        }
        assertThatThrownBy(() -> YaraRules.builder().addSource("gen", "rule {").compile())
                .isInstanceOf(YaraCompileException.class)
                .hasMessageStartingWith("gen:1: ");
    }

    @Test
    void keepsCompilerWarnings() throws Exception {
        try (YaraRules rules = YaraRules.builder()
                .addSource("slow", "rule s { strings: $a = { 00 ?? } condition: $a }")
                .compile()) {
            assertThat(rules.warnings()).isNotEmpty().allSatisfy(w -> assertThat(w.error())
                    .isFalse());
        }
    }

    @Test
    void savedRulesLoadAndScanTheSame() throws Exception {
        Path saved = tmp.resolve("rules.tgyc");
        tagRules.save(saved);

        try (YaraRules loaded = YaraRules.load(saved)) {
            byte[] data = withAt(512, TAG, 40);
            assertThat(loaded.scan(bytes(data), TIMEOUT)).isEqualTo(tagRules.scan(bytes(data), TIMEOUT));
        }
    }

    @Test
    void refusesDamagedSavedRules() throws Exception {
        Path saved = tmp.resolve("rules.tgyc");
        tagRules.save(saved);
        byte[] good = Files.readAllBytes(saved);
        byte[] flipped = good.clone();
        flipped[flipped.length / 2] ^= 0x40;
        Path damaged = Files.write(tmp.resolve("damaged.tgyc"), flipped);
        Path truncated = Files.write(tmp.resolve("truncated.tgyc"), java.util.Arrays.copyOf(good, 20));
        Path garbage = Files.write(tmp.resolve("garbage.tgyc"), "hello".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> YaraRules.load(damaged))
                .isInstanceOf(YaraScanException.class)
                .hasMessage(damaged + ": compiled rules are damaged (SHA-256 mismatch)");
        assertThatThrownBy(() -> YaraRules.load(truncated))
                .isInstanceOf(YaraScanException.class)
                .hasMessageContaining("not a Tollgate compiled-rules file");
        assertThatThrownBy(() -> YaraRules.load(garbage))
                .isInstanceOf(YaraScanException.class)
                .hasMessageContaining("not a Tollgate compiled-rules file");
    }

    @Test
    void refusesAValidChecksumOverBytesLibyaraRejects() throws Exception {
        // A well-formed Tollgate header whose payload is not libyara's format: libyara itself must say no.
        byte[] payload = "YARA but not really".getBytes(StandardCharsets.US_ASCII);
        byte[] header = {'T', 'G', 'Y', 'A', 'R', 'A', 0, 1};
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(payload);
        Path file = tmp.resolve("forged.tgyc");
        Files.write(file, concat(header, digest, payload));

        assertThatThrownBy(() -> YaraRules.load(file))
                .isInstanceOfSatisfying(
                        YaraScanException.class, e -> assertThat(e.errorName()).startsWith("ERROR_"))
                .hasMessageStartingWith(file + ": libyara refused the compiled rules: ERROR_");
    }

    @Test
    void failsClearlyAfterClose() throws Exception {
        YaraRules rules = YaraRules.compile(List.of(path("rules/tag.yar")));
        rules.close();
        rules.close();

        assertThatThrownBy(() -> rules.scan(bytes(new byte[1]), TIMEOUT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("these YARA rules are closed");
    }

    @Test
    void namesTheMissingLibraryAndHowToInstallIt() {
        assertThatThrownBy(() -> Libyara.load("libyara-tollgate-absent.so.9"))
                .isInstanceOf(YaraUnavailableException.class)
                .hasMessageContaining("install libyara9 (apt-get install libyara9)");
        assertThat(Libyara.INSTALL_HINT)
                .isEqualTo("libyara.so.9 not found: install libyara9 (apt-get install libyara9)");
    }

    private static byte[] concat(byte[]... parts) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p);
        }
        return out.toByteArray();
    }
}
