package dev.tollgate.signatures;

import com.google.common.base.Suppliers;
import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.pe.ByteRange;
import dev.tollgate.formats.pe.CertificateEntry;
import dev.tollgate.formats.pe.CertificateTable;
import dev.tollgate.formats.pe.PeAnomaly;
import dev.tollgate.formats.pe.PeExport;
import dev.tollgate.formats.pe.PeFile;
import dev.tollgate.formats.pe.PeFormatException;
import dev.tollgate.formats.pe.PeImport;
import dev.tollgate.formats.pe.PeSection;
import dev.tollgate.model.Finding;
import dev.tollgate.model.FindingCode;
import dev.tollgate.model.PeSummary;
import dev.tollgate.model.SectionInfo;
import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.SignatureStatus;
import dev.tollgate.signatures.AuthenticodeVerification.ExtraCertificate;
import dev.tollgate.signatures.AuthenticodeVerification.UnexpectedAttribute;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Inspects a PE file: parses it, verifies every Authenticode signature against the trust anchors, and reports tamper
 * findings ({@code signature.*}, {@code pe.*}). Thread-safe; one instance serves a whole scan.
 *
 * <p>Finding codes (docs/DESIGN.md, "Finding codes"; the first five are the contract):
 *
 * <ul>
 *   <li>{@code signature.appended-data} (critical): bytes in the certificate table that no signature accounts for:
 *       after an entry's PKCS#7 blob, between or after entries, or a whole entry of a type Windows ignores; up to 7
 *       zero bytes of alignment excepted. The SigFlip hiding place used in the 3CX attack.
 *   <li>{@code signature.digest-mismatch} (critical): a signature's digest does not match the file.
 *   <li>{@code signature.untrusted} (high): a signature verifies but does not chain to a trust anchor, at the
 *       timestamp's time or now, or its signer lacks the code-signing EKU, or its digest is MD5.
 *   <li>{@code signature.missing} (medium): the PE carries no Authenticode signature.
 *   <li>{@code pe.overlay} (medium): data after the image that no matching signature digest covers, other than the
 *       certificate table and the COFF symbol and string tables the file header points at.
 *   <li>{@code signature.malformed} (high): a signature that does not parse or whose signer's signature does not
 *       verify; nothing it claims can be relied on, so a human looks.
 *   <li>{@code signature.extra-certificate} (low): certificates in a signature that belong to no verified chain;
 *       harmless in itself (some signers add cross-certificates), but a place to carry data.
 *   <li>{@code signature.unexpected-attribute} (medium): unauthenticated attributes other than timestamps and nested
 *       signatures; they are outside the signature, the other place data hides in a signed file.
 *   <li>{@code signature.weak-digest} (medium): no signature on the file uses a SHA-2 digest (only SHA-1 or MD5), or
 *       one uses MD5. MD5 collisions forged a Microsoft signature (Flame, 2012), so an MD5 signature is also
 *       {@code untrusted}. SHA-1 alone is deprecated for Authenticode (chosen-prefix collisions are practical since
 *       2020) but Windows still accepts it and older vendor files carry it, so it is reported, not held; a file
 *       dual-signed SHA-1 plus SHA-256 draws no finding.
 *   <li>{@code pe.malformed} (medium): the PE does not parse, or parsed with structural anomalies.
 * </ul>
 */
public final class PeInspector implements Inspector<PeInspector.Image> {

    /**
     * A PE file's bytes and the entropy of its regions already measured (see {@link PeFile#parse(ByteView, Map)}).
     */
    public record Image(ByteView content, Map<ByteRange, Double> knownEntropy) {
        public Image {
            Objects.requireNonNull(content, "content");
            knownEntropy = Map.copyOf(knownEntropy);
        }
    }

    /** Alignment padding: the PE/COFF spec pads each WIN_CERTIFICATE to 8 bytes, so at most 7 zero bytes. */
    static final int MAX_ALIGNMENT_PADDING = 7;

    private static final byte[] SIGFLIP_TAG = {(byte) 0xFE, (byte) 0xED, (byte) 0xFA, (byte) 0xCE};
    private static final int MAX_LISTED_ANOMALIES = 20;
    private static final Set<String> WEAK_DIGESTS = Set.of("MD5", "SHA-1");

    // Built when the first signature is met: loading Bouncy Castle's classes from its signed jar costs a good part of
    // a second of CPU, which a tree of unsigned files need not pay.
    private final Supplier<AuthenticodeVerifier> verifier;

    public PeInspector(TrustAnchors trust) {
        this(trust, Clock.systemUTC());
    }

    PeInspector(TrustAnchors trust, Clock clock) {
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(clock, "clock");
        this.verifier = Suppliers.memoize(() -> new AuthenticodeVerifier(trust, clock));
    }

    @Override
    public String name() {
        return "pe";
    }

    @Override
    public PeInspection inspect(String path, Image image) {
        return inspect(path, image.content(), image.knownEntropy());
    }

    /** Inspects {@code content}, reported under {@code path}. Never throws for malformed input: that is a finding. */
    public PeInspection inspect(String path, ByteView content) {
        return inspect(path, content, Map.of());
    }

    /**
     * Inspects {@code content} as {@link #inspect(String, ByteView)} does, taking section entropies already measured
     * from {@code knownEntropy} (see {@link PeFile#parse(ByteView, Map)}).
     */
    public PeInspection inspect(String path, ByteView content, Map<ByteRange, Double> knownEntropy) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
        try {
            return new Inspection(path, PeFile.parse(content, knownEntropy)).run();
        } catch (PeFormatException e) {
            return unreadable(path, "not a readable PE image: " + e.getMessage(), Map.of("offset", e.offset()));
        }
    }

    private static PeInspection unreadable(String path, String message, Map<String, Object> evidence) {
        return new PeInspection(
                Optional.empty(), List.of(), List.of(Finding.of(FindingCode.PE_MALFORMED, path, message, evidence)));
    }

    /** One file's inspection in progress. */
    private final class Inspection {
        private final String path;
        private final PeFile pe;
        private final List<SignatureInfo> signatures = new ArrayList<>();
        private final List<Finding> findings = new ArrayList<>();
        private final Map<String, byte[]> imageDigests = new HashMap<>();

        Inspection(String path, PeFile pe) {
            this.path = path;
            this.pe = pe;
        }

        PeInspection run() {
            anomalies();
            Optional<CertificateTable> table = pe.certificateTable();
            int signed = 0;
            if (table.isPresent()) {
                List<CertificateEntry> entries = table.get().entries();
                for (int i = 0; i < entries.size(); i++) {
                    if (entry(i, entries.get(i))) {
                        signed++;
                    }
                }
                for (ByteRange range : table.get().uncovered()) {
                    unaccountedTableBytes(range);
                }
            }
            boolean pastEnd =
                    table.isPresent() && table.get().range().end() > pe.data().size();
            if (pastEnd) {
                tableRunsPastEnd(table.get());
            }
            if (signed == 0 && !pastEnd) {
                findings.add(Finding.of(
                        FindingCode.SIGNATURE_MISSING,
                        path,
                        "unsigned " + (pe.dll() ? "DLL" : "PE executable") + ": no Authenticode signature",
                        Map.of()));
            }
            signatureFindings();
            overlay();
            return new PeInspection(Optional.of(summary()), signatures, findings);
        }

        /**
         * A table that runs past the end of the file is truncated or was tampered with; Windows and osslsigncode reject
         * its signatures whatever they say, so a signature that verified is reported malformed, not valid.
         */
        private void tableRunsPastEnd(CertificateTable table) {
            String problem = "the certificate table [0x" + Long.toHexString(table.offset()) + ", 0x"
                    + Long.toHexString(table.range().end()) + ") runs past the end of the file at 0x"
                    + Long.toHexString(pe.data().size()) + " (truncated or tampered)";
            if (signatures.isEmpty()) {
                findings.add(Finding.of(
                        FindingCode.SIGNATURE_MALFORMED,
                        path,
                        problem,
                        Map.of(
                                "offset",
                                table.offset(),
                                "declaredSize",
                                table.declaredSize(),
                                "fileSize",
                                pe.data().size())));
                return;
            }
            signatures.replaceAll(s -> {
                if (s.status() != SignatureStatus.VALID && s.status() != SignatureStatus.UNTRUSTED) {
                    return s;
                }
                List<String> problems = new ArrayList<>(s.problems());
                problems.addFirst(problem);
                return s.withStatus(SignatureStatus.MALFORMED, problems);
            });
        }

        private void anomalies() {
            List<PeAnomaly> anomalies = pe.anomalies();
            if (anomalies.isEmpty()) {
                return;
            }
            List<Object> listed = new ArrayList<>();
            anomalies.stream().limit(MAX_LISTED_ANOMALIES).forEach(a -> listed.add(a.toString()));
            findings.add(Finding.of(
                    FindingCode.PE_MALFORMED,
                    path,
                    "PE structure damaged (" + anomalies.size() + " anomal" + (anomalies.size() == 1 ? "y" : "ies")
                            + "): " + anomalies.getFirst(),
                    Map.of("count", anomalies.size(), "anomalies", listed)));
        }

        /** Verifies one WIN_CERTIFICATE entry; true when it is a PKCS#7 signature (valid or not). */
        private boolean entry(int index, CertificateEntry entry) {
            ByteView content = entry.content();
            long contentOffset = entry.offset() + CertificateEntry.HEADER_SIZE;
            if (!entry.isPkcsSignedData()) {
                // Windows verifies only PKCS#7 entries; any other entry is unsigned bytes inside the table.
                appendedData(
                        contentOffset,
                        content,
                        "certificate table entry " + index + " has type 0x" + Integer.toHexString(entry.type())
                                + ", not PKCS#7 SignedData: its " + content.size() + " bytes are unsigned data",
                        index);
                return false;
            }
            AuthenticodeVerification verification = verifier.get().verify(content, this::imageDigest);
            signatures.addAll(verification.signatures());
            if (verification.pkcs7Length().isPresent()) {
                long length = verification.pkcs7Length().getAsLong();
                long extra = content.size() - length;
                if (extra > 0 && !isAlignment(content, length, extra)) {
                    appendedData(
                            contentOffset + length,
                            sliceOrEmpty(content, length, extra),
                            extra + " bytes hidden after the PKCS#7 signature in certificate table entry " + index,
                            index);
                }
            }
            extraCertificates(index, verification.extraCertificates());
            unexpectedAttributes(index, verification.unexpectedAttributes());
            return true;
        }

        /** The Authenticode image digest, computed once per algorithm however many signatures name it. */
        private byte[] imageDigest(MessageDigest md) {
            return imageDigests
                    .computeIfAbsent(md.getAlgorithm(), algorithm -> {
                        pe.digest(md);
                        return md.digest();
                    })
                    .clone();
        }

        /** Bytes of the table that no entry accounts for (the parser already dropped zero alignment padding). */
        private void unaccountedTableBytes(ByteRange range) {
            ByteView data = pe.data();
            if (range.isEmpty() || isAlignment(data, range.offset(), range.length())) {
                return;
            }
            appendedData(
                    range.offset(),
                    sliceOrEmpty(data, range.offset(), range.length()),
                    range.length() + " bytes in the certificate table outside any signature entry",
                    -1);
        }

        private void appendedData(long offset, ByteView bytes, String message, int entry) {
            boolean sigflip = startsWithSigFlipTag(bytes);
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("offset", offset);
            evidence.put("bytes", bytes.size());
            evidence.put("entropy", round(entropy(bytes)));
            evidence.put("sigflipTag", sigflip);
            if (entry >= 0) {
                evidence.put("entry", entry);
            }
            findings.add(Finding.of(
                    FindingCode.SIGNATURE_APPENDED_DATA,
                    path,
                    message + (sigflip ? ", starting with the SigFlip tag FE ED FA CE" : "") + " (offset 0x"
                            + Long.toHexString(offset) + ")",
                    evidence));
        }

        private void extraCertificates(int index, List<ExtraCertificate> extras) {
            if (extras.isEmpty()) {
                return;
            }
            List<Object> listed = new ArrayList<>();
            for (ExtraCertificate extra : extras) {
                listed.add(Map.of(
                        "subject", extra.subject(),
                        "thumbprintSha256", extra.thumbprintSha256(),
                        "nested", extra.nested()));
            }
            findings.add(Finding.of(
                    FindingCode.SIGNATURE_EXTRA_CERTIFICATE,
                    path,
                    extras.size() + (extras.size() == 1 ? " certificate" : " certificates")
                            + " in signature entry " + index + (extras.size() == 1 ? " belongs" : " belong")
                            + " to no verified chain, first: "
                            + extras.getFirst().subject(),
                    Map.of("entry", index, "certificates", listed)));
        }

        private void unexpectedAttributes(int index, List<UnexpectedAttribute> attributes) {
            if (attributes.isEmpty()) {
                return;
            }
            List<Object> listed = new ArrayList<>();
            for (UnexpectedAttribute attribute : attributes) {
                listed.add(Map.of("oid", attribute.oid(), "bytes", attribute.bytes(), "nested", attribute.nested()));
            }
            findings.add(Finding.of(
                    FindingCode.SIGNATURE_UNEXPECTED_ATTRIBUTE,
                    path,
                    "unsigned attribute" + (attributes.size() == 1 ? " " : "s ")
                            + String.join(
                                    ", ",
                                    attributes.stream()
                                            .map(UnexpectedAttribute::oid)
                                            .distinct()
                                            .toList())
                            + " in signature entry " + index + " can carry data outside the signature",
                    Map.of("entry", index, "attributes", listed)));
        }

        private void signatureFindings() {
            for (SignatureInfo signature : signatures) {
                if (signature.status() == SignatureStatus.VALID) {
                    continue;
                }
                FindingCode code = SignatureFindings.codeOf(signature.status());
                Map<String, Object> evidence = new LinkedHashMap<>();
                evidence.put("nested", signature.nested());
                evidence.put("signer", signature.signer());
                evidence.put("thumbprintSha256", signature.thumbprintSha256());
                evidence.put("digestAlgorithm", signature.digestAlgorithm());
                evidence.put("problems", List.<Object>copyOf(signature.problems()));
                String who = signature.signer().isEmpty() ? "" : " by " + signature.signer();
                String what = signature.nested() == 0 ? "signature" : "nested signature " + signature.nested();
                String verdict =
                        switch (signature.status()) {
                            case DIGEST_MISMATCH -> " does not match the file";
                            case UNTRUSTED -> " is not trusted";
                            default -> " is malformed";
                        };
                String why = signature.problems().isEmpty()
                        ? ""
                        : ": " + signature.problems().getFirst();
                findings.add(Finding.of(code, path, what + who + verdict + why, evidence));
            }
            List<String> algorithms = signatures.stream()
                    .map(SignatureInfo::digestAlgorithm)
                    .filter(a -> !a.isEmpty())
                    .distinct()
                    .toList();
            boolean noSha2 = !algorithms.isEmpty() && WEAK_DIGESTS.containsAll(algorithms);
            if (noSha2 || algorithms.contains("MD5")) {
                findings.add(Finding.of(
                        FindingCode.SIGNATURE_WEAK_DIGEST,
                        path,
                        (noSha2
                                ? "signed only with " + String.join(" and ", algorithms)
                                        + " image digests; no SHA-2 signature vouches for this file"
                                : "a signature uses an MD5 image digest, which collisions can forge"),
                        Map.of("digestAlgorithms", List.<Object>copyOf(algorithms))));
            }
        }

        /**
         * Overlay bytes outside the certificate table are covered when a signature's image digest matched (the digest
         * then includes them, per {@link PeFile#authenticodeDigestRanges()}); otherwise nothing vouches for them.
         */
        private void overlay() {
            boolean digestMatched = signatures.stream()
                    .anyMatch(s -> s.status() == SignatureStatus.VALID || s.status() == SignatureStatus.UNTRUSTED);
            List<ByteRange> digested = pe.authenticodeDigestRanges();
            // The certificate table and the COFF symbol and string tables (unstripped mingw and Wine builds) are
            // described by the headers; anything else after the image was appended.
            for (ByteRange range : pe.unexplainedOverlay()) {
                if (range.isEmpty() || (digestMatched && inside(range, digested))) {
                    continue;
                }
                ByteView bytes = sliceOrEmpty(pe.data(), range.offset(), range.length());
                Map<String, Object> evidence = new LinkedHashMap<>();
                evidence.put("offset", range.offset());
                evidence.put("bytes", range.length());
                evidence.put("entropy", round(entropy(bytes)));
                findings.add(Finding.of(
                        FindingCode.PE_OVERLAY,
                        path,
                        range.length() + " bytes after the end of the PE image (offset 0x"
                                + Long.toHexString(range.offset()) + ") that no signature covers",
                        evidence));
            }
        }

        // Loops, not streams: a DLL can have tens of thousands of imports and exports.
        private PeSummary summary() {
            List<SectionInfo> sections = new ArrayList<>(pe.sections().size());
            for (PeSection s : pe.sections()) {
                sections.add(new SectionInfo(
                        s.name(),
                        s.virtualSize(),
                        s.sizeOfRawData(),
                        s.characteristics(),
                        s.executable(),
                        s.entropy()));
            }
            List<String> imports = new ArrayList<>(pe.imports().size());
            for (PeImport i : pe.imports()) {
                imports.add(i.qualifiedName());
            }
            List<String> exports = new ArrayList<>(pe.exports().size());
            for (PeExport e : pe.exports()) {
                exports.add(e.displayName());
            }
            return new PeSummary(
                    pe.machineName(),
                    pe.pe32Plus(),
                    pe.dll(),
                    pe.timeDateStamp(),
                    sections,
                    imports,
                    exports,
                    pe.versionInfo().map(v -> v.strings()).orElse(Map.of()),
                    pe.overlayLength());
        }
    }

    /** True when {@code length} bytes at {@code offset} are at most 7 zero bytes: alignment, not data. */
    static boolean isAlignment(ByteView data, long offset, long length) {
        if (length > MAX_ALIGNMENT_PADDING || !data.has(offset, length)) {
            return false;
        }
        for (long i = offset; i < offset + length; i++) {
            if (data.segment().get(ValueLayout.JAVA_BYTE, i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean inside(ByteRange range, List<ByteRange> ranges) {
        return ranges.stream().anyMatch(r -> r.offset() <= range.offset() && range.end() <= r.end());
    }

    private static ByteView sliceOrEmpty(ByteView data, long offset, long length) {
        long start = Math.min(Math.max(0, offset), data.size());
        long n = Math.min(Math.max(0, length), data.size() - start);
        try {
            return data.slice(start, n, "range");
        } catch (dev.tollgate.formats.TruncatedException e) {
            throw new IllegalStateException("clamped slice out of bounds", e);
        }
    }

    /**
     * True when the bytes start with the SigFlip tag, possibly after up to 7 zero bytes: a tool that appends to the end
     * of the table writes its tag after the entry's alignment padding.
     */
    static boolean startsWithSigFlipTag(ByteView bytes) {
        long start = 0;
        while (start < MAX_ALIGNMENT_PADDING
                && start < bytes.size()
                && bytes.segment().get(ValueLayout.JAVA_BYTE, start) == 0) {
            start++;
        }
        if (bytes.size() - start < SIGFLIP_TAG.length) {
            return false;
        }
        for (int i = 0; i < SIGFLIP_TAG.length; i++) {
            if (bytes.segment().get(ValueLayout.JAVA_BYTE, start + i) != SIGFLIP_TAG[i]) {
                return false;
            }
        }
        return true;
    }

    /** Shannon entropy in bits per byte, 0 to 8. */
    static double entropy(ByteView bytes) {
        long total = bytes.size();
        if (total == 0) {
            return 0;
        }
        long[] counts = new long[256];
        byte[] chunk = new byte[(int) Math.min(total, 64 * 1024)];
        for (long at = 0; at < total; at += chunk.length) {
            int n = (int) Math.min(chunk.length, total - at);
            MemorySegment.copy(bytes.segment(), ValueLayout.JAVA_BYTE, at, chunk, 0, n);
            for (int i = 0; i < n; i++) {
                counts[chunk[i] & 0xff]++;
            }
        }
        double entropy = 0;
        for (long count : counts) {
            if (count != 0) {
                double p = (double) count / total;
                entropy -= p * Math.log(p) / Math.log(2);
            }
        }
        return Math.min(8, Math.max(0, entropy));
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
