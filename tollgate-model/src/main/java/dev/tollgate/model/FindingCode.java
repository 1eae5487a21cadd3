package dev.tollgate.model;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every finding code Tollgate raises, with its default severity and one sentence of meaning: the catalog that the
 * places raising findings, the SARIF writer's rules and the README's tables are checked against. The codes are the
 * stable names of docs/DESIGN.md "Finding codes"; a policy may rate any of them differently.
 */
public enum FindingCode {
    SIGNATURE_APPENDED_DATA(
            "signature.appended-data",
            Severity.CRITICAL,
            "Bytes in the certificate table beyond the PKCS#7 blob (other than up to 7 zero bytes of alignment)"),
    SIGNATURE_DIGEST_MISMATCH(
            "signature.digest-mismatch", Severity.CRITICAL, "The signed digest does not match the file's content"),
    SIGNATURE_UNTRUSTED("signature.untrusted", Severity.HIGH, "The signer's chain does not end at a trust anchor"),
    SIGNATURE_MISSING("signature.missing", Severity.MEDIUM, "An executable or installer carries no signature"),
    SIGNATURE_MALFORMED("signature.malformed", Severity.HIGH, "A signature could not be parsed or does not verify"),
    SIGNATURE_WEAK_DIGEST(
            "signature.weak-digest",
            Severity.MEDIUM,
            "Only SHA-1 image digests vouch for the file; no SHA-2 signature does"),
    SIGNATURE_UNEXPECTED_ATTRIBUTE(
            "signature.unexpected-attribute",
            Severity.MEDIUM,
            "An unsigned attribute other than a countersignature, timestamp or nested signature can carry data outside the signature"),
    SIGNATURE_EXTRA_CERTIFICATE(
            "signature.extra-certificate", Severity.LOW, "A certificate in the signature belongs to no verified chain"),
    PE_MALFORMED("pe.malformed", Severity.MEDIUM, "The PE structure is damaged or lies about its extents"),
    PE_OVERLAY("pe.overlay", Severity.MEDIUM, "Data after the end of the PE image that no signature covers"),
    INTEL_HASH("intel.hash", Severity.CRITICAL, "The file's hash is in the threat intel"),
    INTEL_DOMAIN("intel.domain", Severity.CRITICAL, "A domain in the file's content is in the threat intel"),
    INTEL_URL("intel.url", Severity.CRITICAL, "A URL in the file's content is in the threat intel"),
    INTEL_IP("intel.ip", Severity.CRITICAL, "An IP address in the file's content is in the threat intel"),
    INTEL_CERTIFICATE(
            "intel.certificate",
            Severity.CRITICAL,
            "The signing certificate's serial or thumbprint is in the threat intel"),
    YARA_MATCH("yara.match", Severity.HIGH, "A YARA rule matched"),
    DIFF_SIGNER_CHANGED(
            "diff.signer-changed",
            Severity.HIGH,
            "The same file is signed by a different certificate than in the previous release"),
    DIFF_MODIFIED_SAME_VERSION(
            "diff.modified-same-version",
            Severity.HIGH,
            "The file's content changed while its version resource did not"),
    DIFF_NEW_IMPORT("diff.new-import", Severity.MEDIUM, "The file imports APIs it did not import before"),
    DIFF_NEW_NETWORK_INDICATOR(
            "diff.new-network-indicator",
            Severity.MEDIUM,
            "A URL, domain or IP appears that the previous release did not contain"),
    DIFF_NEW_SIBLING_REFERENCE(
            "diff.new-sibling-reference",
            Severity.MEDIUM,
            "A changed file newly names another file of the release without importing it"),
    DIFF_NEW_SECTION("diff.new-section", Severity.MEDIUM, "The file has a section it did not have before"),
    DIFF_NEW_EXECUTABLE_SECTION(
            "diff.new-executable-section", Severity.MEDIUM, "A section of the file became executable"),
    DIFF_SECTION_ENTROPY("diff.section-entropy", Severity.MEDIUM, "A section's entropy jumped: packed or encrypted?"),
    DIFF_TIMESTAMP_REGRESSED(
            "diff.timestamp-regressed", Severity.MEDIUM, "The build timestamp is older than the previous release's"),
    DIFF_SIZE_OUTLIER("diff.size-outlier", Severity.MEDIUM, "The file grew far beyond the rest of the release"),
    POLICY_UNEXPECTED_SIGNER(
            "policy.unexpected-signer", Severity.HIGH, "The file is not signed by a signer the policy pins for it"),
    POLICY_ALLOWANCE_EXPIRED("policy.allowance-expired", Severity.LOW, "An accepted risk in the policy has expired"),
    DIFF_FILE_ADDED("diff.file-added", Severity.INFO, "A file was added since the previous release"),
    DIFF_FILE_REMOVED("diff.file-removed", Severity.INFO, "A file was removed since the previous release"),
    FILE_UNREADABLE(
            "file.unreadable",
            Severity.HIGH,
            "The file could not be read, or changed while it was read: it was not vetted in full"),
    RELEASE_EMPTY("release.empty", Severity.HIGH, "The release holds no file at all: nothing was vetted"),
    FILE_SKIPPED("file.skipped", Severity.INFO, "A symbolic link or special file was not vetted"),
    FILE_TYPE_MISMATCH("file.type-mismatch", Severity.MEDIUM, "A file named like a Windows executable is not one"),
    ANALYSIS_FAILED("analysis.failed", Severity.HIGH, "A check could not be evaluated on the file"),
    INDICATORS_TRUNCATED(
            "indicators.truncated", Severity.INFO, "The file holds more network indicators than a report keeps"),
    ARCHIVE_BOMB("archive.bomb", Severity.HIGH, "A container expands far beyond its size (decompression bomb)"),
    ARCHIVE_PATH_TRAVERSAL(
            "archive.path-traversal",
            Severity.HIGH,
            "An entry name is absolute, has a drive letter or climbs out with '..'"),
    ARCHIVE_LINK("archive.link", Severity.MEDIUM, "A symbolic or hard link in a container points outside it"),
    ARCHIVE_ENCRYPTED("archive.encrypted", Severity.HIGH, "An encrypted entry or container could not be vetted"),
    ARCHIVE_TRUNCATED(
            "archive.truncated",
            Severity.HIGH,
            "A container or an entry's stream ends early or is corrupt: what follows was not vetted"),
    ARCHIVE_UNSUPPORTED(
            "archive.unsupported",
            Severity.HIGH,
            "A compression method or container feature is not supported: what it holds was not vetted"),
    ARCHIVE_LIMIT(
            "archive.limit",
            Severity.HIGH,
            "An unpacking limit (size, entries, depth, name length, zstd window) was reached: the rest was not vetted"),
    ARCHIVE_DUPLICATE("archive.duplicate", Severity.MEDIUM, "Two entries of a container have the same path"),
    ARCHIVE_HEADER_MISMATCH(
            "archive.header-mismatch",
            Severity.MEDIUM,
            "Two copies of a container's metadata disagree (zip local and central headers)"),
    DEB_MD5SUMS_MISMATCH(
            "deb.md5sums-mismatch",
            Severity.HIGH,
            "A file of a Debian package does not have the MD5 that the package's md5sums gives it"),
    ARCHIVE_INTEGRITY_MISMATCH(
            "archive.integrity-mismatch",
            Severity.HIGH,
            "A member of a container does not have the hash the container claims for it (Electron asar integrity)"),
    MSI_APPENDED_DATA(
            "msi.appended-data",
            Severity.HIGH,
            "Bytes after a Windows Installer package's compound-file structure, which no signature covers (CVE-2020-1464)"),
    MSI_CUSTOM_ACTION(
            "msi.custom-action", Severity.MEDIUM, "An installer custom action runs a DLL, an EXE or a script"),
    MSI_MALFORMED(
            "msi.malformed", Severity.HIGH, "A Windows Installer package could not be read: it was not vetted in full"),
    JAR_UNSIGNED_ENTRY(
            "jar.unsigned-entry", Severity.MEDIUM, "A signed JAR holds entries its signature does not cover");

    private static final Map<String, FindingCode> BY_CODE =
            Stream.of(values()).collect(Collectors.toUnmodifiableMap(FindingCode::code, Function.identity()));

    private final String code;
    private final Severity defaultSeverity;
    private final String meaning;

    FindingCode(String code, Severity defaultSeverity, String meaning) {
        this.code = code;
        this.defaultSeverity = defaultSeverity;
        this.meaning = meaning;
    }

    /** The dotted code in reports, e.g. {@code signature.appended-data}. */
    public String code() {
        return code;
    }

    /** The severity a finding of this code gets unless its raiser has a reason to say otherwise. */
    public Severity defaultSeverity() {
        return defaultSeverity;
    }

    /** One sentence of what a finding of this code means. */
    public String meaning() {
        return meaning;
    }

    /** The catalog entry of {@code code}, if it has one. */
    public static Optional<FindingCode> of(String code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }
}
