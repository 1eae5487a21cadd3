package dev.tollgate.policy;

import dev.tollgate.formats.archive.Limits;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.Finding;
import dev.tollgate.model.FindingCode;
import dev.tollgate.model.Report;
import dev.tollgate.model.Severity;
import dev.tollgate.model.Verdict;
import dev.tollgate.model.Vetting;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns findings into a verdict: per-code severity overrides, then {@code block} if any finding has a blocking
 * severity, else {@code hold} if any has a holding severity, else {@code allow}. The default policy (docs/DESIGN.md,
 * "Finding codes") blocks on critical and holds on high.
 *
 * <p>The YAML form, which {@link PolicyLoader} reads strictly (an unknown key, an unknown severity or a wrong type is an
 * error naming the file, the key and its line):
 *
 * <pre>{@code
 * severities:              # optional: severity per finding code; "prefix.*" matches a family, exact codes win
 *   pe.overlay: high
 *   archive.*: high
 * block: [critical]        # optional, default [critical]
 * hold: [high]             # optional, default [high]; a severity cannot both block and hold
 * signers:                 # optional: who must sign which files (any one of the three kinds satisfies a pin)
 *   - files: "*.dll"       # a glob; without "/" it matches the file name anywhere
 *     thumbprints: [3f0a...64 hex digits]             # the signing certificate's SHA-256
 *     issuers: ["CN=Orbit Code Signing CA, O=Orbit"]  # its issuer's name, in a chain to a trust anchor
 *     roots: [9a2c...64 hex digits]                   # the SHA-256 of the trust anchor its chain ends in
 * allow:                   # optional: accepted risks, lowered to info until they expire
 *   - code: pe.overlay     # a code or a family such as archive.*
 *     files: setup.exe
 *     reason: "the NSIS installer stub carries its payload as an overlay"
 *     expires: 2027-06-30
 * limits:                  # optional: unpacking limits (Limits#NAMES), byte counts may carry a unit
 *   maxTotalBytes: 20GiB
 *   maxDepth: 12
 * }</pre>
 *
 * A file matching a signer pin without a sound signature by a pinned certificate or issuer gets
 * {@code policy.unexpected-signer} (high). An allowance past its expiry date no longer applies and is reported as
 * {@code policy.allowance-expired} (low).
 *
 * Immutable and thread-safe.
 */
public final class Policy {

    private static final int MAX_FILES_NAMED = 3;

    private static final Policy DEFAULT = new Policy(
            Map.of(),
            Map.of(),
            EnumSet.of(Severity.CRITICAL),
            EnumSet.of(Severity.HIGH),
            List.of(),
            List.of(),
            Clock.systemUTC());

    private final Map<String, String> limits;
    private final Map<String, Severity> overrides;
    private final Set<Severity> block;
    private final Set<Severity> hold;
    private final List<SignerPin> signers;
    private final List<Allowance> allowances;
    private final Clock clock;

    /** A policy as {@link PolicyLoader} read it, judging allowance expiry by the system clock. */
    Policy(
            Map<String, String> limits,
            Map<String, Severity> overrides,
            Set<Severity> block,
            Set<Severity> hold,
            List<SignerPin> signers,
            List<Allowance> allowances) {
        this(limits, overrides, block, hold, signers, allowances, Clock.systemUTC());
    }

    private Policy(
            Map<String, String> limits,
            Map<String, Severity> overrides,
            Set<Severity> block,
            Set<Severity> hold,
            List<SignerPin> signers,
            List<Allowance> allowances,
            Clock clock) {
        this.limits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(limits));
        this.overrides = Map.copyOf(overrides);
        this.block = Set.copyOf(block);
        this.hold = Set.copyOf(hold);
        this.signers = List.copyOf(signers);
        this.allowances = List.copyOf(allowances);
        this.clock = clock;
    }

    /** This policy judging allowance expiry by {@code clock}'s date (UTC), for tests. */
    Policy withClock(Clock newClock) {
        return new Policy(
                limits, overrides, block, hold, signers, allowances, Objects.requireNonNull(newClock, "clock"));
    }

    /** Blocks on critical findings, holds on high ones, keeps every severity as the analyzers propose. */
    public static Policy defaults() {
        return DEFAULT;
    }

    /** {@code base} with this policy's {@code limits} section applied; {@code base} itself when it has none. */
    public Limits limits(Limits base) {
        Limits result = base;
        for (Map.Entry<String, String> e : limits.entrySet()) {
            result = result.with(e.getKey(), e.getValue());
        }
        return result;
    }

    /** The severity this policy gives a finding with {@code code} that an analyzer rated {@code proposed}. */
    public Severity severityOf(String code, Severity proposed) {
        Severity exact = overrides.get(code);
        if (exact != null) {
            return exact;
        }
        // The longest matching family wins: "archive.bomb.*" over "archive.*".
        String best = null;
        for (String key : overrides.keySet()) {
            if (key.endsWith(".*")
                    && code.startsWith(key.substring(0, key.length() - 1))
                    && (best == null || key.length() > best.length())) {
                best = key;
            }
        }
        return best == null ? proposed : overrides.get(best);
    }

    /** What a finding of this severity does to the verdict. */
    public Verdict verdictFor(Severity severity) {
        if (block.contains(severity)) {
            return Verdict.BLOCK;
        }
        return hold.contains(severity) ? Verdict.HOLD : Verdict.ALLOW;
    }

    /**
     * The report of {@code vetting} under this policy: its files and diff, its findings rated by this policy, the
     * verdict and the reasons for it. Pure: the same vetting can be decided again under another policy.
     */
    public Report decide(Vetting vetting) {
        Decision decision = decide(vetting.files(), vetting.findings());
        return new Report(
                vetting.toolVersion(),
                decision.verdict(),
                vetting.files(),
                decision.findings(),
                decision.reasons(),
                vetting.diff());
    }

    /**
     * Applies this policy: the findings with their policy severities (most severe first, then by path and code), the
     * verdict, and one reason line per finding code that made the verdict stricter than allow.
     */
    public Decision decide(List<Finding> findings) {
        return decide(List.of(), findings);
    }

    /**
     * Applies this policy to a release: signer pins are checked against {@code files}, then severities are assigned,
     * allowances lower what they cover, and the verdict follows.
     */
    public Decision decide(List<FileRecord> files, List<Finding> findings) {
        List<Finding> all = new ArrayList<>(findings);
        for (FileRecord file : files) {
            for (SignerPin pin : signers) {
                pin.check(file).ifPresent(all::add);
            }
        }
        LocalDate today = LocalDate.now(clock);
        List<Allowance> live = new ArrayList<>();
        for (Allowance a : allowances) {
            if (a.expiredOn(today)) {
                all.add(Finding.of(
                        FindingCode.POLICY_ALLOWANCE_EXPIRED,
                        a.files().pattern(),
                        "the policy's allowance of " + a.code() + " for "
                                + a.files().pattern() + " expired on " + a.expires() + " (" + a.reason()
                                + "); review it",
                        Map.of("code", a.code(), "expires", a.expires().toString(), "reason", a.reason())));
            } else {
                live.add(a);
            }
        }
        List<Finding> rated = new ArrayList<>(all.size());
        for (Finding f : all) {
            Severity s = severityOf(f.code(), f.severity());
            Finding r = s == f.severity() ? f : f.withSeverity(s);
            for (Allowance a : live) {
                if (a.covers(r)) {
                    r = a.apply(r);
                    break;
                }
            }
            rated.add(r);
        }
        rated.sort(FINDING_ORDER);
        Verdict verdict = Verdict.ALLOW;
        // code -> paths, in severity order because 'rated' is sorted
        Map<String, List<String>> pathsByCode = new LinkedHashMap<>();
        Map<String, Finding> firstByCode = new TreeMap<>();
        for (Finding f : rated) {
            Verdict v = verdictFor(f.severity());
            verdict = verdict.max(v);
            if (v != Verdict.ALLOW) {
                String key = f.severity().ordinal() + " " + f.code();
                pathsByCode.computeIfAbsent(key, k -> new ArrayList<>()).add(f.path());
                firstByCode.putIfAbsent(key, f);
            }
        }
        List<String> reasons = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : pathsByCode.entrySet()) {
            Finding first = firstByCode.get(e.getKey());
            reasons.add(reason(first, verdictFor(first.severity()), e.getValue()));
        }
        return new Decision(verdict, rated, reasons);
    }

    private static String reason(Finding first, Verdict effect, List<String> paths) {
        List<String> distinct = paths.stream().distinct().toList();
        StringBuilder line = new StringBuilder()
                .append(effect.label())
                .append(": ")
                .append(first.code())
                .append(" (")
                .append(first.severity().label())
                .append(") in ");
        if (distinct.size() == 1) {
            line.append(distinct.getFirst());
        } else {
            line.append(distinct.size())
                    .append(" files: ")
                    .append(String.join(", ", distinct.subList(0, Math.min(MAX_FILES_NAMED, distinct.size()))));
            if (distinct.size() > MAX_FILES_NAMED) {
                line.append(" and ").append(distinct.size() - MAX_FILES_NAMED).append(" more");
            }
        }
        return line.toString();
    }

    /** Most severe first, then by path, code and message, so reports are stable. */
    public static final Comparator<Finding> FINDING_ORDER = Comparator.comparing(Finding::severity)
            .thenComparing(Finding::path)
            .thenComparing(Finding::code)
            .thenComparing(Finding::message);

    /**
     * The outcome of applying a policy.
     *
     * @param verdict allow, hold or block
     * @param findings the findings with their policy severities, most severe first
     * @param reasons one line per severity and code that made the verdict hold or block; empty on allow
     */
    public record Decision(Verdict verdict, List<Finding> findings, List<String> reasons) {
        public Decision {
            Objects.requireNonNull(verdict, "verdict");
            findings = List.copyOf(findings);
            reasons = List.copyOf(reasons);
        }
    }

    @Override
    public String toString() {
        return "Policy[overrides=" + new TreeMap<>(overrides) + ", block=" + block + ", hold=" + hold + "]";
    }
}
