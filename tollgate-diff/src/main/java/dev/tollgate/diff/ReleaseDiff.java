package dev.tollgate.diff;

import dev.tollgate.model.ChangeKind;
import dev.tollgate.model.FileChange;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.Finding;
import dev.tollgate.model.FindingCode;
import dev.tollgate.model.NetworkIndicators;
import dev.tollgate.model.PeSummary;
import dev.tollgate.model.SectionInfo;
import dev.tollgate.model.Severity;
import dev.tollgate.model.SignatureInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What changed between a release and the previous approved one, as findings a reviewer can rank: the 3CX update was
 * only visibly wrong as a change (a DLL whose version had not moved now had another hash and 16 KB more inside its
 * signature; a codec library newly opened files and mapped memory).
 *
 * <p>Files are matched by their path inside the release (the release root stripped, see {@link #keyOf}), then
 * unmatched files by content hash (moves and renames). Severities are in the finding catalog ({@code tollgate-report}).
 */
public final class ReleaseDiff {

    /** A section whose entropy rises by this much, to at least {@link #PACKED_ENTROPY}, looks newly packed. */
    private static final double ENTROPY_JUMP = 1.0;

    private static final double PACKED_ENTROPY = 7.0;

    /** A changed file must grow by at least this many bytes to count as an outlier. */
    private static final long OUTLIER_MIN_GROWTH = 64 * 1024;

    private final List<FileChange> changes;
    private final List<Finding> findings;

    private ReleaseDiff(List<FileChange> changes, List<Finding> findings) {
        this.changes = List.copyOf(changes);
        this.findings = List.copyOf(findings);
    }

    /**
     * Compares two scanned releases.
     *
     * @param previous the previous release's files
     * @param previousRoots the paths given for the previous release, as its report spells them
     * @param next the new release's files
     * @param nextRoots the paths given for the new release
     */
    public static ReleaseDiff compare(
            List<FileRecord> previous, List<String> previousRoots, List<FileRecord> next, List<String> nextRoots) {
        Map<String, FileRecord> before = byKey(previous, previousRoots);
        Map<String, FileRecord> after = byKey(next, nextRoots);

        List<FileChange> changes = new ArrayList<>();
        Map<String, FileRecord> added = new TreeMap<>();
        for (Map.Entry<String, FileRecord> e : after.entrySet()) {
            FileRecord old = before.get(e.getKey());
            if (old == null) {
                added.put(e.getKey(), e.getValue());
            } else {
                ChangeKind kind = sameContent(old, e.getValue()) ? ChangeKind.UNCHANGED : ChangeKind.CHANGED;
                changes.add(new FileChange(kind, e.getKey(), Optional.of(old), Optional.of(e.getValue())));
            }
        }
        Map<String, List<Map.Entry<String, FileRecord>>> removedByHash = new HashMap<>();
        for (Map.Entry<String, FileRecord> e : before.entrySet()) {
            if (!after.containsKey(e.getKey())) {
                removedByHash
                        .computeIfAbsent(e.getValue().hashes().sha256(), h -> new ArrayList<>())
                        .add(e);
            }
        }
        for (Map.Entry<String, FileRecord> e : added.entrySet()) {
            List<Map.Entry<String, FileRecord>> sameHash =
                    removedByHash.getOrDefault(e.getValue().hashes().sha256(), List.of());
            if (sameHash.isEmpty()) {
                changes.add(new FileChange(ChangeKind.ADDED, e.getKey(), Optional.empty(), Optional.of(e.getValue())));
            } else {
                FileRecord old = sameHash.removeFirst().getValue();
                changes.add(new FileChange(ChangeKind.MOVED, e.getKey(), Optional.of(old), Optional.of(e.getValue())));
            }
        }
        removedByHash.values().stream()
                .flatMap(List::stream)
                .forEach(e -> changes.add(
                        new FileChange(ChangeKind.REMOVED, e.getKey(), Optional.of(e.getValue()), Optional.empty())));
        changes.sort(Comparator.comparing(FileChange::key)
                .thenComparing(c -> c.kind().ordinal()));

        List<Finding> findings = new ArrayList<>();
        Set<String> knownIndicators = indicatorsOf(previous);
        Set<String> siblings = new HashSet<>();
        after.keySet().forEach(k -> siblings.add(baseName(k)));
        List<FileChange> changed = new ArrayList<>();
        for (FileChange change : changes) {
            switch (change.kind()) {
                case ADDED -> findings.add(fileAdded(change.next().orElseThrow()));
                case REMOVED -> findings.add(fileRemoved(change.previous().orElseThrow()));
                case CHANGED -> {
                    changed.add(change);
                    compareFiles(change.previous().orElseThrow(), change.next().orElseThrow(), findings);
                    newSiblingReferences(
                                    change.previous().orElseThrow(),
                                    change.next().orElseThrow(),
                                    siblings)
                            .ifPresent(findings::add);
                }
                case MOVED, UNCHANGED -> {}
            }
            change.next().ifPresent(file -> newIndicators(file, knownIndicators).ifPresent(findings::add));
        }
        findings.addAll(sizeOutliers(changed));
        return new ReleaseDiff(changes, findings);
    }

    /** Every file's fate, sorted by key. */
    public List<FileChange> changes() {
        return changes;
    }

    /** The diff findings, in file order; the policy assigns final severities and ranks them. */
    public List<Finding> findings() {
        return findings;
    }

    /**
     * A file's path inside its release: the report path with the release root stripped. A release given as one file
     * has key {@code ""} for that file and {@code !inner} for what it contains, so two single-file releases with
     * different names still match.
     */
    static String keyOf(String path, List<String> roots) {
        String best = null;
        for (String root : roots) {
            String r = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
            boolean matches = path.equals(r) || path.startsWith(r + "/") || path.startsWith(r + "!");
            if (matches && (best == null || r.length() > best.length())) {
                best = r;
            }
        }
        if (best == null) {
            return path;
        }
        String rest = path.substring(best.length());
        return rest.startsWith("/") ? rest.substring(1) : rest;
    }

    private static Map<String, FileRecord> byKey(List<FileRecord> files, List<String> roots) {
        Map<String, FileRecord> map = new LinkedHashMap<>();
        for (FileRecord file : files) {
            map.putIfAbsent(keyOf(file.path(), roots), file);
        }
        return map;
    }

    private static boolean sameContent(FileRecord a, FileRecord b) {
        return a.hashes().sha256().equals(b.hashes().sha256());
    }

    private static boolean executable(FileRecord file) {
        return file.type().executable();
    }

    private static Finding fileAdded(FileRecord file) {
        boolean exe = executable(file);
        return new Finding(
                FindingCode.DIFF_FILE_ADDED,
                exe ? Severity.LOW : Severity.INFO,
                file.path(),
                (exe ? "new executable file (" + file.type().label() + ")" : "new file") + ", " + file.size()
                        + " bytes",
                Map.of("sha256", file.hashes().sha256(), "type", file.type().label(), "size", file.size()));
    }

    private static Finding fileRemoved(FileRecord file) {
        return Finding.of(
                FindingCode.DIFF_FILE_REMOVED,
                file.path(),
                "file removed from the release",
                Map.of("sha256", file.hashes().sha256(), "type", file.type().label()));
    }

    private static void compareFiles(FileRecord old, FileRecord now, List<Finding> out) {
        signerChange(old, now).ifPresent(out::add);
        if (old.pe().isEmpty() || now.pe().isEmpty()) {
            return;
        }
        PeSummary a = old.pe().orElseThrow();
        PeSummary b = now.pe().orElseThrow();
        sameVersion(old, now, a, b).ifPresent(out::add);
        newImports(now, a, b).ifPresent(out::add);
        sectionChanges(now, a, b, out);
        timestampRegression(now, a, b).ifPresent(out::add);
    }

    private static Optional<SignatureInfo> primarySignature(FileRecord file) {
        return file.signatures().stream().filter(s -> s.nested() == 0).findFirst();
    }

    private static Optional<Finding> signerChange(FileRecord old, FileRecord now) {
        Optional<SignatureInfo> before = primarySignature(old);
        Optional<SignatureInfo> after = primarySignature(now);
        if (before.isEmpty()) {
            return Optional.empty();
        }
        SignatureInfo was = before.orElseThrow();
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("oldSigner", was.signer());
        evidence.put("oldIssuer", was.issuer());
        evidence.put("oldThumbprintSha256", was.thumbprintSha256());
        if (after.isEmpty()) {
            return Optional.of(Finding.of(
                    FindingCode.DIFF_SIGNER_CHANGED,
                    now.path(),
                    "was signed by " + was.signer() + ", now unsigned",
                    evidence));
        }
        SignatureInfo is = after.orElseThrow();
        if (is.thumbprintSha256().equals(was.thumbprintSha256())) {
            return Optional.empty();
        }
        evidence.put("newSigner", is.signer());
        evidence.put("newIssuer", is.issuer());
        evidence.put("newThumbprintSha256", is.thumbprintSha256());
        boolean sameSubject = is.signer().equals(was.signer());
        boolean sameIssuer = is.issuer().equals(was.issuer());
        evidence.put("sameSubject", sameSubject);
        evidence.put("sameIssuer", sameIssuer);
        if (sameSubject && sameIssuer) {
            // Vendors renew signing certificates; same subject and issuer with a new key is usually that.
            return Optional.of(new Finding(
                    FindingCode.DIFF_SIGNER_CHANGED,
                    Severity.MEDIUM,
                    now.path(),
                    "signing certificate replaced (same subject and issuer, new certificate): " + is.signer(),
                    evidence));
        }
        String message = sameSubject
                ? "lookalike signer: same subject " + is.signer() + " but issued by " + is.issuer() + " instead of "
                        + was.issuer()
                : "signer changed from " + was.signer() + " to " + is.signer();
        return Optional.of(Finding.of(FindingCode.DIFF_SIGNER_CHANGED, now.path(), message, evidence));
    }

    private static Optional<String> versionOf(PeSummary pe) {
        String file = pe.version().getOrDefault("FileVersion", "").strip();
        String product = pe.version().getOrDefault("ProductVersion", "").strip();
        if (file.isEmpty() && product.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(file + " / " + product);
    }

    private static Optional<Finding> sameVersion(FileRecord old, FileRecord now, PeSummary a, PeSummary b) {
        Optional<String> was = versionOf(a);
        if (was.isEmpty() || !was.equals(versionOf(b))) {
            return Optional.empty();
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("version", was.orElseThrow());
        evidence.put("oldSha256", old.hashes().sha256());
        evidence.put("newSha256", now.hashes().sha256());
        evidence.put("oldSize", old.size());
        evidence.put("newSize", now.size());
        return Optional.of(Finding.of(
                FindingCode.DIFF_MODIFIED_SAME_VERSION,
                now.path(),
                "content changed (" + signedDelta(now.size() - old.size())
                        + " bytes) but the version resource still says " + was.orElseThrow(),
                evidence));
    }

    private static String signedDelta(long delta) {
        return delta >= 0 ? "+" + delta : Long.toString(delta);
    }

    private static String dllOf(String qualifiedImport) {
        int bang = qualifiedImport.indexOf('!');
        return bang < 0 ? qualifiedImport : qualifiedImport.substring(0, bang);
    }

    private static Optional<Finding> newImports(FileRecord now, PeSummary a, PeSummary b) {
        Set<String> before = lower(a.imports());
        Set<String> beforeDlls = new HashSet<>();
        before.forEach(i -> beforeDlls.add(dllOf(i)));
        Set<String> added = new TreeSet<>();
        Set<String> newDlls = new TreeSet<>();
        Map<String, Set<String>> risky = new TreeMap<>();
        for (String imp : b.imports()) {
            String key = imp.toLowerCase(Locale.ROOT);
            if (before.contains(key)) {
                continue;
            }
            added.add(imp);
            String dll = dllOf(key);
            if (!beforeDlls.contains(dll)) {
                newDlls.add(dll);
            }
            int bang = imp.indexOf('!');
            if (bang >= 0) {
                ImportRisk.capabilityOf(imp.substring(bang + 1))
                        .ifPresent(cap ->
                                risky.computeIfAbsent(cap, c -> new TreeSet<>()).add(imp));
            }
        }
        if (added.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("imports", List.copyOf(added));
        evidence.put("newDlls", List.copyOf(newDlls));
        Map<String, Object> capabilities = new LinkedHashMap<>();
        risky.forEach((cap, names) -> capabilities.put(cap, List.copyOf(names)));
        evidence.put("capabilities", capabilities);
        Severity severity = risky.isEmpty() ? Severity.LOW : Severity.MEDIUM;
        String message = risky.isEmpty()
                ? added.size() + " new imports, none security-relevant"
                : "new " + String.join(", ", risky.keySet()) + " capabilities: " + preview(risky);
        return Optional.of(new Finding(FindingCode.DIFF_NEW_IMPORT, severity, now.path(), message, evidence));
    }

    private static String preview(Map<String, Set<String>> risky) {
        List<String> names = risky.values().stream().flatMap(Set::stream).toList();
        String shown = String.join(", ", names.subList(0, Math.min(4, names.size())));
        return names.size() > 4 ? shown + " and " + (names.size() - 4) + " more" : shown;
    }

    private static Set<String> lower(List<String> values) {
        Set<String> set = new HashSet<>();
        values.forEach(v -> set.add(v.toLowerCase(Locale.ROOT)));
        return set;
    }

    private static void sectionChanges(FileRecord now, PeSummary a, PeSummary b, List<Finding> out) {
        Map<String, SectionInfo> before = new HashMap<>();
        a.sections().forEach(s -> before.putIfAbsent(s.name(), s));
        for (SectionInfo s : b.sections()) {
            SectionInfo old = before.get(s.name());
            if (old == null) {
                out.add(new Finding(
                        FindingCode.DIFF_NEW_SECTION,
                        s.executable() ? Severity.MEDIUM : Severity.LOW,
                        now.path(),
                        "new " + (s.executable() ? "executable " : "") + "section " + s.name(),
                        Map.of("section", s.name(), "executable", s.executable(), "entropy", round(s.entropy()))));
            } else if (s.executable() && !old.executable()) {
                out.add(Finding.of(
                        FindingCode.DIFF_NEW_EXECUTABLE_SECTION,
                        now.path(),
                        "section " + s.name() + " became executable",
                        Map.of("section", s.name())));
            } else if (s.entropy() >= PACKED_ENTROPY && s.entropy() - old.entropy() >= ENTROPY_JUMP) {
                out.add(Finding.of(
                        FindingCode.DIFF_SECTION_ENTROPY,
                        now.path(),
                        "section " + s.name() + " entropy rose from " + round(old.entropy()) + " to "
                                + round(s.entropy()) + " bits/byte (packed or encrypted?)",
                        Map.of(
                                "section",
                                s.name(),
                                "oldEntropy",
                                round(old.entropy()),
                                "newEntropy",
                                round(s.entropy()))));
            }
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static Optional<Finding> timestampRegression(FileRecord now, PeSummary a, PeSummary b) {
        // Reproducible builds write 0 or a hash; only compare plausible, non-zero stamps.
        long floor = 946_684_800L; // 2000-01-01
        if (a.timeDateStamp() < floor || b.timeDateStamp() < floor || b.timeDateStamp() >= a.timeDateStamp()) {
            return Optional.empty();
        }
        return Optional.of(Finding.of(
                FindingCode.DIFF_TIMESTAMP_REGRESSED,
                now.path(),
                "build timestamp " + Instant.ofEpochSecond(b.timeDateStamp()) + " is older than the previous release's "
                        + Instant.ofEpochSecond(a.timeDateStamp()),
                Map.of("oldTimeDateStamp", a.timeDateStamp(), "newTimeDateStamp", b.timeDateStamp())));
    }

    private static String baseName(String key) {
        int cut = Math.max(key.lastIndexOf('/'), key.lastIndexOf('!'));
        return key.substring(cut + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * Sibling files of the release that a changed file now names in its strings, other than the DLLs it imports: how
     * the trojanized 3CX {@code ffmpeg.dll} found {@code d3dcompiler_47.dll} to read the payload hidden in it.
     */
    private static Optional<Finding> newSiblingReferences(FileRecord old, FileRecord now, Set<String> siblings) {
        Set<String> named = new TreeSet<>(now.referencedFiles());
        named.removeAll(old.referencedFiles());
        named.remove(baseName(now.path()));
        now.pe().ifPresent(pe -> pe.imports().forEach(i -> named.remove(dllOf(i).toLowerCase(Locale.ROOT))));
        named.retainAll(siblings);
        if (named.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Finding.of(
                FindingCode.DIFF_NEW_SIBLING_REFERENCE,
                now.path(),
                "now names " + String.join(", ", named) + " from the same release without importing it",
                Map.of("files", List.copyOf(named))));
    }

    private static Set<String> indicatorsOf(List<FileRecord> files) {
        Set<String> all = new HashSet<>();
        for (FileRecord f : files) {
            NetworkIndicators n = f.indicators();
            n.urls().forEach(u -> all.add("url:" + u));
            n.domains().forEach(d -> all.add("domain:" + d));
            n.ips().forEach(i -> all.add("ip:" + i));
        }
        return all;
    }

    private static Optional<Finding> newIndicators(FileRecord file, Set<String> known) {
        List<String> urls = fresh(file.indicators().urls(), "url:", known);
        List<String> domains = fresh(file.indicators().domains(), "domain:", known);
        List<String> ips = fresh(file.indicators().ips(), "ip:", known);
        if (urls.isEmpty() && domains.isEmpty() && ips.isEmpty()) {
            return Optional.empty();
        }
        List<String> all = new ArrayList<>(domains);
        all.addAll(ips);
        all.addAll(urls);
        String shown = String.join(", ", all.subList(0, Math.min(3, all.size())));
        String more = all.size() > 3 ? " and " + (all.size() - 3) + " more" : "";
        if (isJarSignatureBlock(file.path())) {
            return Optional.of(new Finding(
                    FindingCode.DIFF_NEW_NETWORK_INDICATOR,
                    Severity.LOW,
                    file.path(),
                    "new certificate endpoints in the JAR signature block: " + shown + more,
                    Map.of("urls", urls, "domains", domains, "ips", ips, "signatureBlock", true)));
        }
        return Optional.of(Finding.of(
                FindingCode.DIFF_NEW_NETWORK_INDICATOR,
                file.path(),
                "now talks to " + shown + more,
                Map.of("urls", urls, "domains", domains, "ips", ips)));
    }

    /**
     * A JAR signature block ({@code META-INF/*.RSA}, {@code *.DSA}, {@code *.EC}; JAR File Specification, "Signed JAR
     * File") is PKCS#7 SignedData: its URLs are its certificates' CA endpoints (OCSP, CA Issuers, CRL), which change
     * when the signer or its timestamp authority renews a certificate. The signature findings judge the certificates;
     * a new endpoint there is low, and intel matching still sees it.
     */
    static boolean isJarSignatureBlock(String path) {
        int bang = path.lastIndexOf('!');
        if (bang < 0) {
            return false;
        }
        String entry = path.substring(bang + 1);
        if (!entry.regionMatches(true, 0, "META-INF/", 0, 9) || entry.indexOf('/', 9) >= 0) {
            return false;
        }
        String upper = entry.toUpperCase(Locale.ROOT);
        return upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC");
    }

    private static List<String> fresh(List<String> values, String prefix, Set<String> known) {
        return values.stream().filter(v -> !known.contains(prefix + v)).toList();
    }

    /**
     * Changed files that grew far beyond the release's norm: at least {@link #OUTLIER_MIN_GROWTH} bytes and more than
     * five times the median relative growth of the changed files (with at least three changed files to have a norm).
     */
    private static List<Finding> sizeOutliers(List<FileChange> changed) {
        if (changed.size() < 3) {
            return List.of();
        }
        double[] ratios = changed.stream()
                .mapToDouble(c -> growth(c.previous().orElseThrow(), c.next().orElseThrow()))
                .sorted()
                .toArray();
        double median = ratios[ratios.length / 2];
        List<Finding> out = new ArrayList<>();
        for (FileChange c : changed) {
            FileRecord old = c.previous().orElseThrow();
            FileRecord now = c.next().orElseThrow();
            double ratio = growth(old, now);
            long bytes = now.size() - old.size();
            if (bytes >= OUTLIER_MIN_GROWTH && ratio > Math.max(0.05, 5 * median)) {
                out.add(Finding.of(
                        FindingCode.DIFF_SIZE_OUTLIER,
                        now.path(),
                        "grew by " + bytes + " bytes (" + Math.round(ratio * 100)
                                + "%), far beyond the release's median change of " + Math.round(median * 100) + "%",
                        Map.of("oldSize", old.size(), "newSize", now.size(), "medianGrowth", round(median))));
            }
        }
        return out;
    }

    private static double growth(FileRecord old, FileRecord now) {
        return old.size() == 0 ? (now.size() == 0 ? 0 : 1) : (now.size() - old.size()) / (double) old.size();
    }
}
