package dev.tollgate.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.pe.PeFile;
import dev.tollgate.model.Finding;
import dev.tollgate.model.Severity;
import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.SignatureStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Tamper tests on {@link PeInspector}: the unsigned fixture {@code orbit.dll} is given a certificate table built here,
 * holding signatures made with the test PKI over its real Authenticode digest, and one field at a time is rewritten.
 */
class PeInspectorTest {

    private static final Clock CLOCK = Clock.fixed(TestPki.NOW, ZoneOffset.UTC);
    private static final byte[] UNSIGNED = read(Path.of("..", "fixtures", "pe", "orbit.dll"));

    private final PeInspector inspector = new PeInspector(TestPki.anchors(), CLOCK);

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A signature over {@code unsigned}'s Authenticode digest (the table at the end is excluded from it). */
    private static TestSignature signatureOver(byte[] unsigned) {
        return TestSignature.overDigests(algorithm -> {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            PeFile.parse(ByteView.of(unsigned)).digest(md);
            return md.digest();
        });
    }

    /** One WIN_CERTIFICATE: its type and bCertificate bytes; the table pads it to 8 bytes with {@code fill}. */
    private record Entry(int type, byte[] content, byte fill) {
        Entry(int type, byte[] content) {
            this(type, content, (byte) 0);
        }

        static Entry pkcs7(byte[] content) {
            return new Entry(2, content);
        }
    }

    /** {@code pe} with a certificate table of {@code entries} appended, then {@code tail} inside the table's extent. */
    private static byte[] withTable(byte[] pe, List<Entry> entries, byte[] tail) {
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        for (Entry entry : entries) {
            int length = 8 + entry.content().length;
            ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(length).putShort((short) 0x0200).putShort((short) entry.type());
            table.writeBytes(header.array());
            table.writeBytes(entry.content());
            byte[] padding = new byte[(8 - length % 8) % 8];
            Arrays.fill(padding, entry.fill());
            table.writeBytes(padding);
        }
        table.writeBytes(tail);
        // The table starts 8-byte aligned right at the end, so the signed digest of the bare file stays the digest.
        assertThat(pe.length % 8).as("test images end 8-byte aligned").isZero();
        int offset = pe.length;
        byte[] out = Arrays.copyOf(pe, offset + table.size());
        System.arraycopy(table.toByteArray(), 0, out, offset, table.size());
        ByteBuffer view = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        view.putInt(directoryEntry(pe), offset);
        view.putInt(directoryEntry(pe) + 4, table.size());
        return out;
    }

    /** The file offset of data directory 4 (the certificate table) in a PE32 or PE32+ image. */
    private static int directoryEntry(byte[] pe) {
        ByteBuffer view = ByteBuffer.wrap(pe).order(ByteOrder.LITTLE_ENDIAN);
        int optional = view.getInt(0x3c) + 24;
        boolean pe32Plus = (view.getShort(optional) & 0xffff) == 0x20b;
        return optional + (pe32Plus ? 112 : 96) + 4 * 8;
    }

    private PeInspection inspect(byte[] file) {
        return inspector.inspect("orbit.dll", ByteView.of(file));
    }

    private static Set<String> codes(PeInspection inspection) {
        return inspection.findings().stream().map(Finding::code).collect(Collectors.toSet());
    }

    private static Finding only(PeInspection inspection, String code) {
        List<Finding> found = inspection.findings().stream()
                .filter(f -> f.code().equals(code))
                .toList();
        assertThat(found).as("%s in %s", code, inspection.findings()).hasSize(1);
        return found.getFirst();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void acceptsSignedImageWithoutFindings() {
        PeInspection inspection = inspect(
                withTable(UNSIGNED, List.of(Entry.pkcs7(signatureOver(UNSIGNED).build())), new byte[0]));

        assertThat(inspection.findings()).isEmpty();
        assertThat(inspection.signatures()).extracting(SignatureInfo::status).containsExactly(SignatureStatus.VALID);
        assertThat(inspection.summary()).hasValueSatisfying(summary -> {
            assertThat(summary.machine()).isEqualTo("amd64");
            assertThat(summary.dll()).isTrue();
            assertThat(summary.exports()).contains("OrbitVersion");
            assertThat(summary.imports()).anyMatch(i -> i.startsWith("KERNEL32.dll!"));
            assertThat(summary.version()).containsEntry("CompanyName", "Orbit Telecom Ltd");
        });
    }

    @Test
    void acceptsSevenZeroBytesOfAlignmentAfterTheBlob() {
        byte[] blob = signatureOver(UNSIGNED).build();

        PeInspection inspection =
                inspect(withTable(UNSIGNED, List.of(Entry.pkcs7(concat(blob, new byte[7]))), new byte[0]));

        assertThat(inspection.findings()).isEmpty();
    }

    @Test
    void flagsEightZeroBytesAfterTheBlob() {
        byte[] blob = signatureOver(UNSIGNED).build();

        PeInspection inspection =
                inspect(withTable(UNSIGNED, List.of(Entry.pkcs7(concat(blob, new byte[8]))), new byte[0]));

        Finding finding = only(inspection, "signature.appended-data");
        assertThat(finding.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(finding.evidence())
                .containsEntry("bytes", 8L)
                .containsEntry("sigflipTag", false)
                .containsEntry("entropy", 0.0)
                .containsEntry("entry", 0);
        assertThat(codes(inspection)).containsExactly("signature.appended-data");
    }

    @Test
    void flagsSevenNonZeroBytesAfterTheBlob() {
        byte[] blob = signatureOver(UNSIGNED).build();

        PeInspection inspection = inspect(
                withTable(UNSIGNED, List.of(Entry.pkcs7(concat(blob, new byte[] {0, 0, 0, 0, 0, 0, 1}))), new byte[0]));

        assertThat(only(inspection, "signature.appended-data").evidence()).containsEntry("bytes", 7L);
    }

    @Test
    void flagsSigFlipTagAfterTheBlobAtItsOffset() {
        byte[] blob = signatureOver(UNSIGNED).build();
        byte[] payload = new byte[64];
        byte[] tag = {
            (byte) 0xFE, (byte) 0xED, (byte) 0xFA, (byte) 0xCE, (byte) 0xFE, (byte) 0xED, (byte) 0xFA, (byte) 0xCE
        };
        System.arraycopy(tag, 0, payload, 0, tag.length);

        byte[] file = withTable(UNSIGNED, List.of(Entry.pkcs7(concat(blob, payload))), new byte[0]);
        PeInspection inspection = inspect(file);

        Finding finding = only(inspection, "signature.appended-data");
        long offset = (Long) finding.evidence().get("offset");
        assertThat(Arrays.copyOfRange(file, (int) offset, (int) offset + 8)).isEqualTo(tag);
        assertThat(finding.evidence()).containsEntry("sigflipTag", true).containsEntry("bytes", 64L);
        // The signature itself stays valid: that is why Windows and osslsigncode miss it.
        assertThat(inspection.signatures()).extracting(SignatureInfo::status).containsExactly(SignatureStatus.VALID);
    }

    @Test
    void flagsDataAfterTheLastEntry() {
        byte[] blob = signatureOver(UNSIGNED).build();
        byte[] tail =
                "FEEDFACE? no: plain text after the last entry".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        PeInspection inspection = inspect(withTable(UNSIGNED, List.of(Entry.pkcs7(blob)), tail));

        Finding finding = only(inspection, "signature.appended-data");
        assertThat(finding.message()).contains("outside any signature entry");
        assertThat(finding.evidence()).doesNotContainKey("entry");
    }

    @Test
    void flagsNonZeroBytesBetweenEntries() {
        byte[] blob = signatureOver(UNSIGNED).build();
        byte[] odd = Arrays.copyOf(blob, blob.length + (blob.length % 8 == 0 ? 1 : 0));
        assertThat((8 + odd.length) % 8).as("the entry needs padding").isNotZero();

        PeInspection inspection = inspect(withTable(
                UNSIGNED,
                List.of(
                        new Entry(2, odd, (byte) 0xCC),
                        Entry.pkcs7(signatureOver(UNSIGNED).build())),
                new byte[0]));

        Finding finding = only(inspection, "signature.appended-data");
        assertThat(finding.message()).contains("outside any signature entry");
        assertThat((Long) finding.evidence().get("bytes")).isBetween(1L, 7L);
    }

    @Test
    void flagsEntryOfTypeWindowsIgnores() {
        byte[] blob = signatureOver(UNSIGNED).build();

        PeInspection inspection = inspect(withTable(
                UNSIGNED, List.of(Entry.pkcs7(blob), new Entry(1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8})), new byte[0]));

        Finding finding = only(inspection, "signature.appended-data");
        assertThat(finding.message()).contains("type 0x1");
        assertThat(finding.evidence()).containsEntry("entry", 1).containsEntry("bytes", 8L);
    }

    @Test
    void reportsMissingSignatureOnUnsignedDll() {
        PeInspection inspection = inspect(UNSIGNED);

        Finding finding = only(inspection, "signature.missing");
        assertThat(finding.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(finding.message()).contains("DLL");
        assertThat(inspection.signatures()).isEmpty();
    }

    @Test
    void reportsDigestMismatchWhenOneCodeByteChanges() {
        byte[] file =
                withTable(UNSIGNED, List.of(Entry.pkcs7(signatureOver(UNSIGNED).build())), new byte[0]);
        file[0x400 + 0x10] ^= 0x01;

        PeInspection inspection = inspect(file);

        assertThat(only(inspection, "signature.digest-mismatch").severity()).isEqualTo(Severity.CRITICAL);
        assertThat(codes(inspection)).containsExactly("signature.digest-mismatch");
    }

    @Test
    void reportsUntrustedLookalikeSigner() {
        byte[] blob = signatureOver(UNSIGNED)
                .signer(TestPki.LOOKALIKE_SIGNER)
                .bag(TestPki.LOOKALIKE_SIGNER.certificate(), TestPki.OTHER_ROOT.certificate())
                .build();

        PeInspection inspection = inspect(withTable(UNSIGNED, List.of(Entry.pkcs7(blob)), new byte[0]));

        Finding finding = only(inspection, "signature.untrusted");
        assertThat(finding.severity()).isEqualTo(Severity.HIGH);
        assertThat(finding.evidence())
                .containsEntry("thumbprintSha256", Certificates.thumbprint(TestPki.LOOKALIKE_SIGNER.certificate()));
    }

    @Test
    void reportsWeakMd5DigestAsUntrusted() {
        byte[] blob = signatureOver(UNSIGNED).digest("MD5").build();

        PeInspection inspection = inspect(withTable(UNSIGNED, List.of(Entry.pkcs7(blob)), new byte[0]));

        assertThat(codes(inspection)).containsExactlyInAnyOrder("signature.weak-digest", "signature.untrusted");
        assertThat(only(inspection, "signature.weak-digest").severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void reportsSha1OnlySignatureAsWeakButNotUntrusted() {
        byte[] blob = signatureOver(UNSIGNED).digest("SHA-1").build();

        PeInspection inspection = inspect(withTable(UNSIGNED, List.of(Entry.pkcs7(blob)), new byte[0]));

        assertThat(codes(inspection)).containsExactly("signature.weak-digest");
        assertThat(inspection.signatures()).extracting(SignatureInfo::status).containsExactly(SignatureStatus.VALID);
    }

    @Test
    void acceptsSha1SignatureWithNestedSha256Signature() {
        byte[] blob = signatureOver(UNSIGNED)
                .digest("SHA-1")
                .nest(signatureOver(UNSIGNED).digest("SHA-256").build())
                .build();

        PeInspection inspection = inspect(withTable(UNSIGNED, List.of(Entry.pkcs7(blob)), new byte[0]));

        assertThat(inspection.findings()).isEmpty();
        assertThat(inspection.signatures()).hasSize(2);
    }

    @Test
    void reportsMalformedSignatureBlob() {
        PeInspection inspection = inspect(withTable(
                UNSIGNED,
                List.of(Entry.pkcs7("not a PKCS#7 blob".getBytes(java.nio.charset.StandardCharsets.US_ASCII))),
                new byte[0]));

        assertThat(only(inspection, "signature.malformed").severity()).isEqualTo(Severity.HIGH);
        assertThat(inspection.signatures())
                .extracting(SignatureInfo::status)
                .containsExactly(SignatureStatus.MALFORMED);
        assertThat(codes(inspection)).doesNotContain("signature.missing");
    }

    @Test
    void reportsExtraCertificateAndUnexpectedAttribute() {
        byte[] blob = signatureOver(UNSIGNED)
                .addToBag(TestPki.OTHER_ROOT.certificate())
                .unsignedAttribute("1.3.6.1.4.1.311.10.3.99", new org.bouncycastle.asn1.DEROctetString(new byte[16]))
                .build();

        PeInspection inspection = inspect(withTable(UNSIGNED, List.of(Entry.pkcs7(blob)), new byte[0]));

        assertThat(only(inspection, "signature.extra-certificate").severity()).isEqualTo(Severity.LOW);
        Finding attribute = only(inspection, "signature.unexpected-attribute");
        assertThat(attribute.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(attribute.message()).contains("1.3.6.1.4.1.311.10.3.99");
    }

    @Test
    void overlayBeforeTheTableIsCoveredByAMatchingSignature() {
        byte[] withOverlay = concat(UNSIGNED, new byte[] {'o', 'v', 'e', 'r', 'l', 'a', 'y', '!'});

        PeInspection signed = inspect(withTable(
                withOverlay, List.of(Entry.pkcs7(signatureOver(withOverlay).build())), new byte[0]));
        PeInspection mismatched = inspect(withTable(
                withOverlay, List.of(Entry.pkcs7(signatureOver(UNSIGNED).build())), new byte[0]));

        assertThat(signed.findings()).isEmpty();
        assertThat(codes(mismatched)).containsExactlyInAnyOrder("signature.digest-mismatch", "pe.overlay");
        assertThat(only(mismatched, "pe.overlay").evidence())
                .containsEntry("offset", (long) UNSIGNED.length)
                .containsKey("entropy");
    }

    @Test
    void reportsTruncatedPeAsFinding() {
        for (int length : new int[] {0, 2, 64, 0x100, 600}) {
            PeInspection inspection = inspect(Arrays.copyOf(UNSIGNED, length));

            assertThat(codes(inspection)).as("length %d", length).contains("pe.malformed");
        }
    }

    @Test
    void everyPrefixOfASignedFileGivesFindingsNotExceptions() {
        byte[] file =
                withTable(UNSIGNED, List.of(Entry.pkcs7(signatureOver(UNSIGNED).build())), new byte[0]);

        for (int length = 0; length < file.length; length += 97) {
            PeInspection inspection = inspect(Arrays.copyOf(file, length));

            assertThat(inspection.findings()).as("length %d", length).isNotEmpty();
        }
    }
}
