package dev.tollgate.signatures;

import dev.tollgate.formats.ByteView;
import dev.tollgate.model.Hashes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * A signed JAR made in memory, as jarsigner lays one out: {@code META-INF/MANIFEST.MF} with a SHA-256 digest per entry
 * (names longer than a line continued on the next, as the JAR specification wraps at 72 bytes), {@code SIGNER.SF} with
 * the whole manifest's digest and each section's, and {@code SIGNER.RSA}, a detached PKCS#7 signature over the .SF by
 * {@link TestPki#SIGNER}. The manifest and .SF may be replaced by any bytes (the block then signs those), for tamper
 * tests and the fuzzer.
 */
record TestJar(byte[] manifest, byte[] signatureFile, byte[] block, Map<String, byte[]> entries) {

    static TestJar of(Map<String, byte[]> entries) {
        byte[] manifest = manifest(entries);
        return signed(manifest, signatureFile(manifest), entries);
    }

    /** A JAR whose .SF is {@code signatureFile}, signed as given. */
    static TestJar signed(byte[] manifest, byte[] signatureFile, Map<String, byte[]> entries) {
        return new TestJar(manifest, signatureFile, sign(signatureFile), new LinkedHashMap<>(entries));
    }

    /** The manifest jarsigner writes for {@code entries}: main attributes, then one section per entry. */
    static byte[] manifest(Map<String, byte[]> entries) {
        StringBuilder m = new StringBuilder("Manifest-Version: 1.0\r\nCreated-By: 25 (Tollgate tests)\r\n\r\n");
        entries.forEach((name, content) -> m.append(header("Name", name))
                .append(header("SHA-256-Digest", base64("SHA-256", content)))
                .append("\r\n"));
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The .SF for {@code manifest}: its whole digest, and each named section's digest over its raw bytes. */
    static byte[] signatureFile(byte[] manifest) {
        StringBuilder sf = new StringBuilder("Signature-Version: 1.0\r\n")
                .append(header("SHA-256-Digest-Manifest", base64("SHA-256", manifest)))
                .append("Created-By: 25 (Tollgate tests)\r\n\r\n");
        JarVerifier.Manifest parsed = JarVerifier.Manifest.parse(manifest);
        parsed.rawSections().forEach((name, raw) -> sf.append(header("Name", name))
                .append(header("SHA-256-Digest", base64("SHA-256", raw)))
                .append("\r\n"));
        return sf.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A header line wrapped as the JAR specification does: at most 72 bytes a line, continued after a space. */
    static String header(String name, String value) {
        byte[] line = (name + ": " + value).getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        int at = 0;
        int width = 72;
        while (at < line.length) {
            int end = Math.min(line.length, at + width);
            while (end < line.length && (line[end] & 0xC0) == 0x80) {
                end--; // never split a UTF-8 sequence
            }
            out.append(at == 0 ? "" : " ")
                    .append(new String(line, at, end - at, StandardCharsets.UTF_8))
                    .append("\r\n");
            at = end;
            width = 71;
        }
        return out.toString();
    }

    static String base64(String algorithm, byte[] data) {
        try {
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance(algorithm).digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sign(byte[] signatureFile) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(
                    new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                            .build(
                                    new JcaContentSignerBuilder("SHA256withRSA").build(TestPki.SIGNER.privateKey()),
                                    TestPki.SIGNER.certificate()));
            generator.addCertificates(
                    new JcaCertStore(List.of(TestPki.SIGNER.certificate(), TestPki.INTERMEDIATE.certificate())));
            return generator
                    .generate(new CMSProcessableByteArray(signatureFile), false)
                    .getEncoded();
        } catch (CMSException | OperatorCreationException | GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the scan collects from this JAR, entries in the order a JAR stores them (manifest first). */
    JarVerifier.Evidence evidence() {
        JarVerifier.Evidence evidence = new JarVerifier.Evidence();
        add(evidence, "META-INF/MANIFEST.MF", manifest);
        add(evidence, "META-INF/SIGNER.SF", signatureFile);
        add(evidence, "META-INF/SIGNER.RSA", block);
        entries.forEach((name, content) -> add(evidence, name, content));
        return evidence;
    }

    private static void add(JarVerifier.Evidence evidence, String name, byte[] content) {
        HexFormat hex = HexFormat.of();
        evidence.entry(
                name,
                new Hashes(
                        hex.formatHex(digest("SHA-256", content)),
                        hex.formatHex(digest("SHA-1", content)),
                        hex.formatHex(digest("MD5", content))),
                ByteView.of(content));
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JAR's bytes, as a zip. */
    byte[] zip() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            put(zip, "META-INF/MANIFEST.MF", manifest);
            put(zip, "META-INF/SIGNER.SF", signatureFile);
            put(zip, "META-INF/SIGNER.RSA", block);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                put(zip, e.getKey(), e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }

    /**
     * Whether the JDK's own verifier (what {@code java -jar} runs) accepts {@code entry} as signed: it has code signers
     * once read to its end; a digest mismatch or a broken signature file counts as not signed.
     */
    boolean jdkVerifies(String entry) {
        return jdkReading(entry) == JdkReading.SIGNED;
    }

    /** What the JDK's verifier makes of {@code entry}. */
    enum JdkReading {
        /** read, with code signers */
        SIGNED,
        /** read without code signers: it would run unsigned */
        UNSIGNED,
        /** refused (a SecurityException or an unreadable manifest): it would not run at all */
        REFUSED
    }

    JdkReading jdkReading(String entry) {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(zip()), true)) {
            for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                in.readAllBytes();
                if (e.getName().equals(entry)) {
                    return e.getCodeSigners() != null ? JdkReading.SIGNED : JdkReading.UNSIGNED;
                }
            }
            return JdkReading.REFUSED;
        } catch (IOException | SecurityException | IllegalArgumentException e) {
            return JdkReading.REFUSED;
        }
    }
}
