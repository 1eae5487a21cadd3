package dev.tollgate.signatures;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.model.Finding;
import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.SignatureStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.Attributes;

/**
 * Fuzzes the JAR manifest parser and the JAR signature check built on it, against the JDK's own reading of the same
 * bytes (what {@code java -jar} trusts). Inputs are plain text so that seeds are readable: for {@link #verify} the
 * manifest, the .SF and each entry's content, separated by {@link #SEPARATOR} lines; the .SF is signed as given by the
 * test PKI, so that the fuzzer reaches the digest checks. Saved inputs in {@code JarVerifierFuzzTestInputs/<method>/}
 * (jarsigner's manifest and .SF from {@code fixtures/archive/signed.jar}, and made-up ones with continuation lines,
 * duplicate names, missing digests and a huge line) run as regression tests.
 */
class JarVerifierFuzzTest {

    static final String SEPARATOR = "\n--8<--\n";
    /** Entry names, the third longer than a manifest line, so that its Name header is continued. */
    static final List<String> NAMES = List.of(
            "a.txt",
            "com/orbit/App.class",
            "com/orbit/" + "deeply/nested/".repeat(5) + "resources/messages_en_GB.properties");

    private static final JarVerifier VERIFIER =
            new JarVerifier(TestPki.anchors(), Clock.fixed(TestPki.NOW, ZoneOffset.UTC));

    /**
     * Any bytes parse without an exception, each named section's raw bytes are a slice of the input that starts where
     * a line starts, and every digest the JDK reads for a section named once is the digest we read.
     */
    @FuzzTest(maxDuration = "60s")
    void parseManifest(byte[] bytes) {
        JarVerifier.Manifest manifest = JarVerifier.Manifest.parse(bytes);

        for (Map.Entry<String, byte[]> raw : manifest.rawSections().entrySet()) {
            require(manifest.sections().containsKey(raw.getKey()), "a raw section without attributes");
            require(isSliceAtLineStart(bytes, raw.getValue()), "raw section is not a slice of the manifest");
        }
        java.util.jar.Manifest jdk;
        try {
            jdk = new java.util.jar.Manifest(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            return; // the JDK refuses it: no JAR it runs has this manifest
        }
        for (Map.Entry<String, Attributes> section : jdk.getEntries().entrySet()) {
            if (namedMoreThanOnce(bytes, section.getKey())) {
                continue; // the JDK merges duplicate sections; we keep the last (see JarVerifierTest)
            }
            for (Map.Entry<Object, Object> attribute : section.getValue().entrySet()) {
                String name = attribute.getKey().toString().toUpperCase(Locale.ROOT);
                if (name.endsWith("-DIGEST")) {
                    Map<String, String> ours = manifest.sections().get(section.getKey());
                    require(
                            ours != null && attribute.getValue().equals(ours.get(name)),
                            "the JDK reads " + name + " of " + section.getKey() + " as " + attribute.getValue()
                                    + ", we read " + (ours == null ? "no section" : ours.get(name)));
                }
            }
        }
    }

    /**
     * Whatever the manifest and .SF say, verification gives data, not an exception; and an entry we call covered by a
     * valid signature is one the JDK verifies too or refuses outright, so that nothing we pass as signed runs unsigned.
     */
    @FuzzTest(maxDuration = "60s")
    void verify(byte[] input) {
        List<byte[]> parts = split(input);
        if (parts.size() < 2) {
            return;
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 2; i < parts.size() && i - 2 < NAMES.size(); i++) {
            entries.put(NAMES.get(i - 2), parts.get(i));
        }
        TestJar jar = TestJar.signed(parts.get(0), parts.get(1), entries);

        PeInspection inspection = VERIFIER.verify("fuzz.jar", jar.evidence());

        require(inspection.signatures().size() == 1, "one .SF, one signature: " + inspection.signatures());
        SignatureInfo signature = inspection.signatures().getFirst();
        require(signature.kind().equals("jar"), "kind " + signature.kind());
        if (signature.status() != SignatureStatus.VALID) {
            return;
        }
        List<Object> unsigned = new ArrayList<>();
        for (Finding f : inspection.findings()) {
            if (f.code().equals("jar.unsigned-entry")) {
                unsigned.addAll((List<?>) f.evidence().get("entries"));
            }
        }
        for (String entry : entries.keySet()) {
            if (!unsigned.contains(entry)) {
                require(
                        jar.jdkReading(entry) != TestJar.JdkReading.UNSIGNED,
                        entry + " passed as signed, but the JDK runs it unsigned");
            }
        }
    }

    /** {@code input} cut at each {@link #SEPARATOR}. */
    static List<byte[]> split(byte[] input) {
        byte[] separator = SEPARATOR.getBytes(StandardCharsets.US_ASCII);
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int at = 0; at + separator.length <= input.length; at++) {
            if (Arrays.equals(input, at, at + separator.length, separator, 0, separator.length)) {
                parts.add(Arrays.copyOfRange(input, start, at));
                start = at + separator.length;
                at = start - 1;
            }
        }
        parts.add(Arrays.copyOfRange(input, start, input.length));
        return parts;
    }

    private static boolean isSliceAtLineStart(byte[] bytes, byte[] slice) {
        for (int at = 0; at + slice.length <= bytes.length; at++) {
            if ((at == 0 || bytes[at - 1] == '\n' || bytes[at - 1] == '\r')
                    && Arrays.equals(bytes, at, at + slice.length, slice, 0, slice.length)) {
                return true;
            }
        }
        return false;
    }

    private static boolean namedMoreThanOnce(byte[] bytes, String name) {
        String text = new String(bytes, StandardCharsets.UTF_8)
                .replace("\r\n", "\n")
                .replace('\r', '\n')
                .replace("\n ", ""); // continuation lines joined
        String header = "name: " + name.toLowerCase(Locale.ROOT) + "\n";
        String lower = text.toLowerCase(Locale.ROOT) + "\n";
        int first = lower.indexOf(header);
        return first >= 0 && lower.indexOf(header, first + 1) >= 0;
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException(what);
        }
    }
}
