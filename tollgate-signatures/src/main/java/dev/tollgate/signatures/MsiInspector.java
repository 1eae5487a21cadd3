package dev.tollgate.signatures;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import dev.tollgate.formats.msi.MsiPackage;
import dev.tollgate.model.Finding;
import dev.tollgate.model.FindingCode;
import dev.tollgate.model.SignatureInfo;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Inspects a Windows Installer package: verifies its Authenticode signature (the {@code DigitalSignature} stream, over
 * the MSI digest of {@link MsiPackage#authenticodeDigest}) with the same verifier as PE files, reports bytes hidden
 * after the PKCS#7 blob in that stream (the stream is outside the signed digest), and lists the custom actions that run
 * code. Findings: {@code signature.*} as for PE files, {@code msi.custom-action} (medium), {@code msi.malformed}.
 */
public final class MsiInspector implements Inspector<ByteView> {

    private final AuthenticodeVerifier verifier;

    public MsiInspector(TrustAnchors trust) {
        this(trust, Clock.systemUTC());
    }

    MsiInspector(TrustAnchors trust, Clock clock) {
        this.verifier = new AuthenticodeVerifier(Objects.requireNonNull(trust, "trust"), clock);
    }

    @Override
    public String name() {
        return "msi";
    }

    /** Never throws for malformed input: that is a finding. */
    @Override
    public PeInspection inspect(String path, ByteView content) {
        List<Finding> findings = new ArrayList<>();
        List<SignatureInfo> signatures = new ArrayList<>();
        MsiPackage msi;
        try {
            msi = MsiPackage.parse(content);
        } catch (FormatException e) {
            findings.add(Finding.of(
                    FindingCode.MSI_MALFORMED,
                    path,
                    "not a readable Windows Installer package: " + e.getMessage(),
                    Map.of()));
            return new PeInspection(Optional.empty(), signatures, findings);
        }
        try {
            signature(path, msi, signatures, findings);
        } catch (FormatException e) {
            findings.add(Finding.of(
                    FindingCode.SIGNATURE_MALFORMED,
                    path,
                    "the package's signature streams cannot be read: " + e.getMessage(),
                    Map.of()));
        }
        appendedData(path, content.size(), msi, findings);
        for (MsiPackage.CustomAction action : msi.customActions()) {
            if (!action.runsCode()) {
                continue;
            }
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("action", action.action());
            evidence.put("type", action.type());
            evidence.put("source", action.source());
            evidence.put("target", action.target());
            findings.add(Finding.of(
                    FindingCode.MSI_CUSTOM_ACTION,
                    path,
                    "custom action " + action.action() + " runs a " + action.description()
                            + (action.source().isEmpty() ? "" : " (" + action.source() + ")"),
                    evidence));
        }
        return new PeInspection(Optional.empty(), signatures, findings);
    }

    private void signature(String path, MsiPackage msi, List<SignatureInfo> signatures, List<Finding> findings)
            throws FormatException {
        Optional<byte[]> blob = msi.digitalSignature();
        if (blob.isEmpty()) {
            findings.add(Finding.of(
                    FindingCode.SIGNATURE_MISSING,
                    path,
                    "unsigned Windows Installer package: no DigitalSignature stream",
                    Map.of()));
            return;
        }
        Optional<byte[]> ex = msi.digitalSignatureEx();
        if (ex.isPresent() && !java.util.Arrays.equals(ex.get(), msi.metadataPreHash(preHashAlgorithm(ex.get())))) {
            findings.add(Finding.of(
                    FindingCode.SIGNATURE_DIGEST_MISMATCH,
                    path,
                    "MsiDigitalSignatureEx does not match the package's metadata (names, sizes, times)",
                    Map.of("stream", "MsiDigitalSignatureEx")));
        }
        boolean withMetadata = ex.isPresent();
        AuthenticodeVerification verification =
                verifier.verify(blob.get(), md -> msi.authenticodeDigest(md, withMetadata));
        signatures.addAll(verification.signatures());
        if (verification.pkcs7Length().isPresent()) {
            long extra = blob.get().length - verification.pkcs7Length().getAsLong();
            if (extra > PeInspector.MAX_ALIGNMENT_PADDING
                    || (extra > 0
                            && !zeros(blob.get(), verification.pkcs7Length().getAsLong()))) {
                findings.add(Finding.of(
                        FindingCode.SIGNATURE_APPENDED_DATA,
                        path,
                        extra + " bytes hidden after the PKCS#7 signature in the DigitalSignature stream",
                        Map.of("bytes", extra, "stream", "DigitalSignature")));
            }
        }
        SignatureFindings.add(path, verification.signatures(), findings);
    }

    /** The pre-hash is as long as the signature's digest: 20 bytes for SHA-1, 32 for SHA-256, and so on. */
    private static String preHashAlgorithm(byte[] preHash) {
        return switch (preHash.length) {
            case 20 -> "SHA-1";
            case 48 -> "SHA-384";
            case 64 -> "SHA-512";
            default -> "SHA-256";
        };
    }

    private static boolean zeros(byte[] bytes, long from) {
        for (long i = from; i < bytes.length; i++) {
            if (bytes[(int) i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Bytes after the compound file's structure: no stream holds them and no signature covers them, so a signed
     * package can carry anything there and still verify (CVE-2020-1464, "GlueBall"; Windows refuses such packages
     * since August 2020). The bytes themselves are vetted as {@code [appended data]} inside the package.
     */
    private static void appendedData(String path, long size, MsiPackage msi, List<Finding> findings) {
        try {
            msi.appendedData()
                    .ifPresent(bytes -> findings.add(Finding.of(
                            FindingCode.MSI_APPENDED_DATA,
                            path,
                            bytes.size() + " bytes after the end of the package's compound-file structure (offset 0x"
                                    + Long.toHexString(size - bytes.size()) + "), covered by no stream and no signature"
                                    + " (CVE-2020-1464)",
                            Map.of("offset", size - bytes.size(), "bytes", bytes.size()))));
        } catch (FormatException e) {
            findings.add(Finding.of(
                    FindingCode.MSI_MALFORMED,
                    path,
                    "the package's extent cannot be read: " + e.getMessage(),
                    Map.of()));
        }
    }
}
