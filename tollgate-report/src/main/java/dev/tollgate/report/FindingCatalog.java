package dev.tollgate.report;

import dev.tollgate.model.Severity;
import java.util.Map;
import java.util.Optional;

/**
 * What each known finding code means, for reports that describe their rules (SARIF) and for people. The codes and
 * default severities are docs/DESIGN.md's "Finding codes" table plus the engine's own ({@code file.*},
 * {@code analysis.failed}, {@code indicators.truncated}).
 */
public final class FindingCatalog {

    /** A finding code's one-line description and default severity. */
    public record Entry(String description, Severity defaultSeverity) {}

    private static final Map<String, Entry> ENTRIES = Map.ofEntries(
            entry(
                    "signature.appended-data",
                    "Bytes in the certificate table beyond the PKCS#7 blob (other than up to 7 zero bytes of alignment)",
                    Severity.CRITICAL),
            entry(
                    "signature.digest-mismatch",
                    "The signed digest does not match the file's content",
                    Severity.CRITICAL),
            entry("signature.untrusted", "The signer's chain does not end at a trust anchor", Severity.HIGH),
            entry("signature.missing", "An executable or installer carries no signature", Severity.MEDIUM),
            entry("signature.malformed", "A signature could not be parsed or does not verify", Severity.HIGH),
            entry(
                    "signature.weak-digest",
                    "Only SHA-1 image digests vouch for the file; no SHA-2 signature does",
                    Severity.MEDIUM),
            entry(
                    "signature.unexpected-attribute",
                    "An unsigned attribute other than a countersignature, timestamp or nested signature can carry data"
                            + " outside the signature",
                    Severity.MEDIUM),
            entry(
                    "signature.extra-certificate",
                    "A certificate in the signature belongs to no verified chain",
                    Severity.LOW),
            entry("pe.malformed", "The PE structure is damaged or lies about its extents", Severity.MEDIUM),
            entry("pe.overlay", "Data after the end of the PE image that no signature covers", Severity.MEDIUM),
            entry("intel.hash", "The file's hash is in the threat intel", Severity.CRITICAL),
            entry("intel.domain", "A domain in the file's content is in the threat intel", Severity.CRITICAL),
            entry("intel.url", "A URL in the file's content is in the threat intel", Severity.CRITICAL),
            entry("intel.ip", "An IP address in the file's content is in the threat intel", Severity.CRITICAL),
            entry(
                    "intel.certificate",
                    "The signing certificate's serial or thumbprint is in the threat intel",
                    Severity.CRITICAL),
            entry("yara.match", "A YARA rule matched", Severity.HIGH),
            entry(
                    "diff.signer-changed",
                    "The same file is signed by a different certificate than in the previous release",
                    Severity.HIGH),
            entry(
                    "diff.modified-same-version",
                    "The file's content changed while its version resource did not",
                    Severity.HIGH),
            entry("diff.new-import", "The file imports APIs it did not import before", Severity.MEDIUM),
            entry(
                    "diff.new-network-indicator",
                    "A URL, domain or IP appears that the previous release did not contain",
                    Severity.MEDIUM),
            entry(
                    "diff.new-sibling-reference",
                    "A changed file newly names another file of the release without importing it",
                    Severity.MEDIUM),
            entry("diff.new-section", "The file has a section it did not have before", Severity.MEDIUM),
            entry("diff.new-executable-section", "A section of the file became executable", Severity.MEDIUM),
            entry("diff.section-entropy", "A section's entropy jumped: packed or encrypted?", Severity.MEDIUM),
            entry(
                    "diff.timestamp-regressed",
                    "The build timestamp is older than the previous release's",
                    Severity.MEDIUM),
            entry("diff.size-outlier", "The file grew far beyond the rest of the release", Severity.MEDIUM),
            entry(
                    "policy.unexpected-signer",
                    "The file is not signed by a signer the policy pins for it",
                    Severity.HIGH),
            entry("policy.allowance-expired", "An accepted risk in the policy has expired", Severity.LOW),
            entry("diff.file-added", "A file was added since the previous release", Severity.INFO),
            entry("diff.file-removed", "A file was removed since the previous release", Severity.INFO),
            entry("file.unreadable", "The file could not be read", Severity.MEDIUM),
            entry("file.skipped", "A symbolic link or special file was not vetted", Severity.INFO),
            entry("file.type-mismatch", "A file named like a Windows executable is not one", Severity.MEDIUM),
            entry("analysis.failed", "A check could not be evaluated on the file", Severity.HIGH),
            entry("indicators.truncated", "The file holds more network indicators than a report keeps", Severity.INFO),
            entry("archive.bomb", "A container expands far beyond its size (decompression bomb)", Severity.HIGH),
            entry(
                    "archive.path-traversal",
                    "An entry name is absolute, has a drive letter or climbs out with '..'",
                    Severity.HIGH),
            entry("archive.link", "A symbolic or hard link in a container points outside it", Severity.MEDIUM),
            entry("archive.encrypted", "An encrypted entry or container could not be vetted", Severity.MEDIUM),
            entry("archive.truncated", "A container or an entry's stream ends early or is corrupt", Severity.MEDIUM),
            entry("archive.unsupported", "A compression method or container feature is not supported", Severity.MEDIUM),
            entry(
                    "archive.limit",
                    "An unpacking limit (size, entries, depth, name length) was reached",
                    Severity.MEDIUM),
            entry("archive.duplicate", "Two entries of a container have the same path", Severity.MEDIUM),
            entry(
                    "archive.header-mismatch",
                    "Two copies of a container's metadata disagree (zip local and central headers)",
                    Severity.MEDIUM),
            entry("msi.custom-action", "An installer custom action runs a DLL, an EXE or a script", Severity.MEDIUM),
            entry("msi.malformed", "A Windows Installer package could not be read", Severity.MEDIUM),
            entry("jar.unsigned-entry", "A signed JAR holds entries its signature does not cover", Severity.MEDIUM));

    private FindingCatalog() {}

    /** The entry for {@code code}, when the code is known. */
    public static Optional<Entry> lookup(String code) {
        Entry exact = ENTRIES.get(code);
        if (exact != null) {
            return Optional.of(exact);
        }
        if (code.startsWith("archive.")) {
            return Optional.of(new Entry("Unpacking was refused or failed", Severity.MEDIUM));
        }
        return Optional.empty();
    }

    private static Map.Entry<String, Entry> entry(String code, String description, Severity severity) {
        return Map.entry(code, new Entry(description, severity));
    }
}
