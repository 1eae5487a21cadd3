package dev.tollgate.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.model.Finding;
import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.SignatureStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link JarVerifier} and its manifest parser on JARs signed in memory as jarsigner signs them ({@link TestJar}), each
 * result checked against the JDK's own verifier where it has one.
 */
class JarVerifierTest {

    private static final JarVerifier VERIFIER =
            new JarVerifier(TestPki.anchors(), Clock.fixed(TestPki.NOW, ZoneOffset.UTC));
    private static final String LONG_NAME = JarVerifierFuzzTest.NAMES.get(2);

    private static Map<String, byte[]> entries() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("a.txt", bytes("hello\n"));
        entries.put(LONG_NAME, bytes("greeting=Hello\n"));
        return entries;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static PeInspection verify(TestJar jar) {
        return VERIFIER.verify("app.jar", jar.evidence());
    }

    private static List<String> codes(PeInspection inspection) {
        return inspection.findings().stream().map(Finding::code).toList();
    }

    @Test
    void verifiesAJarSignedAsJarsignerSignsIt() {
        TestJar jar = TestJar.of(entries());

        PeInspection inspection = verify(jar);

        assertThat(inspection.signatures()).singleElement().satisfies(s -> {
            assertThat(s.status()).as("%s", s.problems()).isEqualTo(SignatureStatus.VALID);
            assertThat(s.kind()).isEqualTo("jar");
            assertThat(s.signer()).contains("CN=Orbit Phone Ltd");
        });
        assertThat(inspection.findings()).isEmpty();
        assertThat(jar.jdkVerifies("a.txt")).isTrue();
        assertThat(jar.jdkVerifies(LONG_NAME)).isTrue();
    }

    @Test
    void joinsANameContinuedOnTheNextLine() {
        byte[] manifest = TestJar.manifest(entries());

        JarVerifier.Manifest parsed = JarVerifier.Manifest.parse(manifest);

        assertThat(new String(manifest, StandardCharsets.UTF_8)).contains("\r\n deeply/nested/resources");
        assertThat(parsed.sections()).containsKeys("a.txt", LONG_NAME);
        assertThat(parsed.sections().get(LONG_NAME)).containsKey("SHA-256-DIGEST");
    }

    @Test
    void readsLfAndCrLineBreaksAsCrLf() {
        String crlf = "Manifest-Version: 1.0\r\n\r\nName: a.txt\r\nSHA-256-Digest: x\r\n\r\n";

        for (String text : List.of(crlf, crlf.replace("\r\n", "\n"), crlf.replace("\r\n", "\r"))) {
            JarVerifier.Manifest parsed = JarVerifier.Manifest.parse(bytes(text));

            assertThat(parsed.sections()).as(text).containsOnlyKeys("a.txt");
            assertThat(parsed.sections().get("a.txt")).containsEntry("SHA-256-DIGEST", "x");
            assertThat(new String(parsed.rawSection("a.txt").orElseThrow(), StandardCharsets.UTF_8))
                    .isEqualTo(text.substring(text.indexOf("Name")));
        }
    }

    @Test
    void readsAHugeLineWithoutALimitOfItsOwn() {
        String huge = "X-Huge: " + "x".repeat(200_000);

        JarVerifier.Manifest parsed =
                JarVerifier.Manifest.parse(bytes("Manifest-Version: 1.0\r\n" + huge + "\r\n\r\n"));

        assertThat(parsed.main().get("X-HUGE")).hasSize(200_000);
    }

    @Test
    void flagsAnEntryChangedAfterSigning() {
        TestJar signed = TestJar.of(entries());
        Map<String, byte[]> changed = entries();
        changed.put("a.txt", bytes("hello, changed\n"));
        TestJar jar = TestJar.signed(signed.manifest(), signed.signatureFile(), changed);

        SignatureInfo signature = verify(jar).signatures().getFirst();

        assertThat(signature.status()).isEqualTo(SignatureStatus.DIGEST_MISMATCH);
        assertThat(signature.problems()).containsExactly("entry a.txt does not match its manifest digest");
        assertThat(jar.jdkVerifies("a.txt")).isFalse();
    }

    @Test
    void reportsAnEntryAddedAfterSigningAsUnsigned() {
        TestJar signed = TestJar.of(entries());
        Map<String, byte[]> added = entries();
        added.put("com/orbit/Added.class", bytes("added"));
        TestJar jar = TestJar.signed(signed.manifest(), signed.signatureFile(), added);

        PeInspection inspection = verify(jar);

        assertThat(inspection.signatures().getFirst().status()).isEqualTo(SignatureStatus.VALID);
        assertThat(inspection.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("jar.unsigned-entry");
            assertThat(f.evidence()).containsEntry("entries", List.of("com/orbit/Added.class"));
        });
    }

    @Test
    void anEntryWhoseSectionHasNoDigestIsNotCovered() {
        String manifest = "Manifest-Version: 1.0\r\n\r\nName: a.txt\r\nX-Note: no digest here\r\n\r\n";
        byte[] m = bytes(manifest);
        TestJar jar = TestJar.signed(m, TestJar.signatureFile(m), Map.of("a.txt", bytes("hello\n")));

        PeInspection inspection = verify(jar);

        assertThat(inspection.signatures().getFirst().problems())
                .containsExactly("entry a.txt uses a digest algorithm Tollgate does not check");
        assertThat(codes(inspection)).containsExactly("jar.unsigned-entry");
    }

    @Test
    void aSignatureFileWithoutABlockIsMalformed() {
        TestJar jar = TestJar.of(entries());
        JarVerifier.Evidence evidence = new JarVerifier.Evidence();
        TestJar unsigned = new TestJar(jar.manifest(), jar.signatureFile(), new byte[0], jar.entries());
        PeInspection inspection = VERIFIER.verify("app.jar", unsigned.evidence());

        assertThat(evidence.signed()).isFalse();
        assertThat(inspection.signatures()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(SignatureStatus.MALFORMED);
            assertThat(s.problems().getFirst()).startsWith("the signature block does not parse or verify");
        });
    }

    /** Found by JarVerifierFuzzTest: we counted a SHA-1-digested entry as signed; the JDK 17+ loads it unsigned. */
    @Test
    void anEntryDigestedOnlyWithSha1IsNotCoveredAsTheJdkRunsItUnsigned() {
        byte[] content = bytes("hello\n");
        byte[] crlf = bytes("Manifest-Version: 1.0\r\n\r\nName: a.txt\r\nSHA1-Digest: "
                + TestJar.base64("SHA-1", content) + "\r\n\r\n");
        byte[] lf = bytes(new String(crlf, StandardCharsets.UTF_8).replace("\r\n", "\n"));

        for (byte[] manifest : List.of(crlf, lf)) {
            TestJar jar = TestJar.signed(manifest, TestJar.signatureFile(manifest), Map.of("a.txt", content));

            PeInspection inspection = verify(jar);

            assertThat(jar.jdkReading("a.txt")).isEqualTo(TestJar.JdkReading.UNSIGNED);
            assertThat(inspection.signatures().getFirst().problems())
                    .containsExactly("entry a.txt has only SHA-1 or MD5 digests, which the JDK treats as unsigned");
            assertThat(codes(inspection)).containsExactly("jar.unsigned-entry");
        }
    }

    /** Found by JarVerifierFuzzTest: we kept a repeated digest's first value, the JDK its last. */
    @Test
    void aRepeatedDigestTakesItsLastValueAsTheJdkDoes() {
        byte[] content = bytes("hello\n");
        byte[] manifest = bytes("Manifest-Version: 1.0\r\n\r\nName: a.txt\r\nSHA-256-Digest: "
                + TestJar.base64("SHA-256", bytes("something else")) + "\r\nSHA-256-Digest: "
                + TestJar.base64("SHA-256", content) + "\r\n\r\n");
        TestJar jar = TestJar.signed(manifest, TestJar.signatureFile(manifest), Map.of("a.txt", content));

        assertThat(JarVerifier.Manifest.parse(manifest).sections().get("a.txt"))
                .containsEntry("SHA-256-DIGEST", TestJar.base64("SHA-256", content));
        assertThat(verify(jar).signatures().getFirst().status()).isEqualTo(SignatureStatus.VALID);
        assertThat(jar.jdkReading("a.txt")).isEqualTo(TestJar.JdkReading.SIGNED);
    }

    /**
     * Found by JarVerifierFuzzTest: a .SF whose first section does not start with "Name:" was read around; the JDK
     * refuses the whole file, ignores the signature and loads every entry unsigned.
     */
    @Test
    void aSignatureFileTheJdkCannotReadIsMalformed() {
        TestJar good = TestJar.of(entries());
        byte[] sf = bytes(
                new String(good.signatureFile(), StandardCharsets.UTF_8).replaceFirst("\r\nName: a", "\r\n@Name: a"));
        TestJar jar = TestJar.signed(good.manifest(), sf, good.entries());

        PeInspection inspection = verify(jar);

        assertThat(jar.jdkReading(LONG_NAME)).isEqualTo(TestJar.JdkReading.UNSIGNED);
        assertThat(inspection.signatures()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(SignatureStatus.MALFORMED);
            assertThat(s.problems())
                    .containsExactly("the signature file line 5 is not a header 'name: value', so the JDK ignores this"
                            + " signature");
        });
    }

    @Test
    void namesWhatTheJdkWouldRefuseInAManifest() {
        assertThat(JarVerifier.Manifest.jdkProblem(TestJar.manifest(entries()))).isEmpty();
        assertThat(JarVerifier.Manifest.jdkProblem(bytes("X-Long: " + "x".repeat(600) + "\r\n")))
                .contains("line 1 is longer than 512 bytes");
        assertThat(JarVerifier.Manifest.jdkProblem(bytes(" continued\r\n"))).contains("line 1 continues nothing");
        assertThat(JarVerifier.Manifest.jdkProblem(bytes("A:b\r\n"))).contains("line 1 is not a header 'name: value'");
        assertThat(JarVerifier.Manifest.jdkProblem(bytes("A: b\r\n\r\n\r\nX: y\r\n")))
                .contains("line 4 starts a section without 'Name:'");
        assertThat(JarVerifier.Manifest.jdkProblem(bytes("A: b\n\nname: a.txt\n continued\nX-Y: z\n\n\n")))
                .isEmpty();
    }

    /** Found by JarVerifierFuzzTest: a last line without a line break overrode a digest; the JDK ignores that line. */
    @Test
    void ignoresALastLineWithoutALineBreakAsTheJdkDoes() {
        JarVerifier.Manifest parsed =
                JarVerifier.Manifest.parse(bytes("A: b\r\n\r\nName: x\r\nSHA-256-Digest: good\r\nSHA-256-Digest: cut"));

        assertThat(parsed.sections().get("x")).containsEntry("SHA-256-DIGEST", "good");
        assertThat(JarVerifier.Manifest.parse(
                                bytes("A: b\r\n\r\nName: x\r\nSHA-256-Digest: good\r\nSHA-256-Digest: cut\r\n c"))
                        .sections()
                        .get("x"))
                .as("a header continued on the cut line is dropped with it")
                .containsEntry("SHA-256-DIGEST", "good");
    }
}
