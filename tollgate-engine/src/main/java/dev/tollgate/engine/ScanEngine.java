package dev.tollgate.engine;

import com.google.common.base.Suppliers;
import dev.tollgate.analysis.AnalysisException;
import dev.tollgate.analysis.FileAnalyzer;
import dev.tollgate.diff.ReleaseDiff;
import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.archive.ContainerType;
import dev.tollgate.formats.archive.Entry;
import dev.tollgate.formats.archive.EntryVisitor;
import dev.tollgate.formats.archive.Problem;
import dev.tollgate.formats.archive.ProblemKind;
import dev.tollgate.formats.archive.SpoolMemory;
import dev.tollgate.formats.archive.Unpacker;
import dev.tollgate.formats.asar.NpmPackage;
import dev.tollgate.formats.pe.PeFile;
import dev.tollgate.model.DiffSection;
import dev.tollgate.model.FileRecord;
import dev.tollgate.model.FileType;
import dev.tollgate.model.Finding;
import dev.tollgate.model.FindingCode;
import dev.tollgate.model.IoMessages;
import dev.tollgate.model.NetworkIndicators;
import dev.tollgate.model.NpmPackageRecord;
import dev.tollgate.model.PeSummary;
import dev.tollgate.model.PreviousRelease;
import dev.tollgate.model.Report;
import dev.tollgate.model.SignatureInfo;
import dev.tollgate.model.Vetting;
import dev.tollgate.policy.Policy;
import dev.tollgate.report.ReportWriter;
import dev.tollgate.signatures.Inspector;
import dev.tollgate.signatures.JarVerifier;
import dev.tollgate.signatures.MsiInspector;
import dev.tollgate.signatures.PeInspection;
import dev.tollgate.signatures.PeInspector;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Vets a release: walks the inputs, vets every file (in parallel, one file per task) and applies the policy.
 *
 * <p>Per file, in order: one streaming profile pass (digests, type by magic bytes, entropy, network indicators), then
 * {@link PeInspector} when the type is {@code pe}, then every configured {@link FileAnalyzer}. An analyzer that cannot
 * evaluate a file yields an {@code analysis.failed} finding (high) rather than failing the scan.
 *
 * <p>A container unpacked in full (no {@code archive.*} problem other than a link) reports no network indicators of
 * its own: its members report theirs on their own paths, and the rest of its bytes are compressed streams, whose
 * printable runs are chance ({@code ar.bg} in a jar, {@code zji44.br} in a {@code data.tar.xz}). An MSI keeps them:
 * its tables are not unpacked as members. A container that could not be unpacked in full keeps them too, as the only
 * view of what was not vetted.
 *
 * <p>Inputs are files and directories. Directories are walked recursively without following symbolic links: a link
 * or a special file (device, FIFO, socket) met in a walk is reported as {@code file.skipped} (info). A link named on
 * the command line is followed, as {@code find -H} does, because the user asked for it. A file that cannot be read
 * yields {@code file.unreadable} (high: not vetted, so held) with the operating system's reason; so does a file that
 * changed while it was vetted (its size, times or inode differ after). Each file is memory-mapped read-only for
 * the duration of its vetting and unmapped after. Thread-safe; reusable.
 *
 * <p>With a {@link ScanCache} in the options, every top-level file vetted is stored in it by content, and
 * {@link #diff} takes the previous release's records from it: one SHA-256 pass per file instead of a full vetting.
 * The new release is always vetted in full.
 */
public final class ScanEngine {

    /** The tool name in reports. */
    public static final String TOOL_NAME = ReportWriter.TOOL_NAME;

    private static final String VERSION = loadProperty("version");

    /** Which build this is: a cache entry written by another build of the same version is not trusted. */
    private static final String BUILD = loadProperty("build");

    private static final System.Logger LOG = System.getLogger(ScanEngine.class.getName());

    private final ScanOptions options;
    private final PeInspector peInspector;
    private final MsiInspector msiInspector;
    private final JarVerifier jarVerifier;
    private final SpoolMemory spoolMemory;
    // Computed on first use: it needs the trust anchors, which may still be loading when the scan starts.
    private final Supplier<String> cacheContext;

    /**
     * One read buffer per scan thread for {@link #contentKey}: a new one per file grew the heap by hundreds of MiB. A
     * direct buffer: the file's bytes are copied once, by the kernel, and libcrypto reads them there (a heap buffer
     * costs the JDK a second copy, from its own temporary direct buffer). The file is read, not mapped: native code
     * reading a mapping of a file truncated meanwhile would crash the process instead of failing the read.
     */
    private static final ThreadLocal<ByteBuffer> HASH_BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(256 << 10));

    private ScanEngine(ScanOptions options) {
        this.options = options;
        // One heap allowance for unpacked entries across every file vetted at once; larger entries go to disk.
        this.spoolMemory = options.spoolMemory().orElseGet(() -> SpoolMemory.of(SpoolMemory.DEFAULT_CAPACITY));
        this.cacheContext = Suppliers.memoize(() -> cacheContext(options));
        this.peInspector = new PeInspector(options.trust());
        this.msiInspector = new MsiInspector(options.trust());
        this.jarVerifier = new JarVerifier(options.trust(), java.time.Clock.systemUTC());
    }

    public static ScanEngine create(ScanOptions options) {
        return new ScanEngine(Objects.requireNonNull(options, "options"));
    }

    /** Which code computes single digests (cache keys, thumbprints): OpenSSL's libcrypto and its version, or the JDK. */
    public static String digestImplementation() {
        return DigestStream.describe();
    }

    /** Which code computes each file's SHA-256, SHA-1 and MD5: the one-pass kernel, or three separate digests and why. */
    public static String fileDigestImplementation() {
        return FileDigests.describe();
    }

    /**
     * Loads the native digest code on a thread of its own (the kernel's and libcrypto's bindings and their known-answer
     * checks, about 0.1 s of CPU), so that it overlaps the command line's parsing instead of delaying a scan thread's
     * first file. Idempotent in effect: the loading is class initialization, which the JVM runs once, and a thread
     * that needs it meanwhile waits for it rather than doing it again.
     */
    public static void loadNativeCodeInBackground() {
        Thread loader = new Thread(
                () -> {
                    FusedDigests.available();
                    Libcrypto.available();
                },
                "tollgate-native-load");
        loader.setDaemon(true);
        loader.start();
    }

    /** Tollgate's version, as built. */
    public static String version() {
        return VERSION;
    }

    /**
     * Vets every file under {@code inputs} and decides the verdict with the options' policy: {@link #vetRelease(List)}
     * then {@link Policy#decide(Vetting)}.
     *
     * @throws java.nio.file.NoSuchFileException when an input does not exist (checked before anything is scanned)
     * @throws IOException when an input's attributes cannot be read at all
     */
    public Report scan(List<Path> inputs) throws IOException {
        return options.policy().decide(vetRelease(ReleaseInput.of(inputs)));
    }

    /**
     * Vets {@code next} as the successor of {@code previous} and decides the verdict with the options' policy: the
     * report is {@code next}'s scan report plus the {@code diff.*} findings of {@link ReleaseDiff} and a
     * {@link DiffSection}. The previous release's own findings are not reported: it was approved before, and its
     * records may come from the {@link ScanCache}.
     *
     * @throws java.nio.file.NoSuchFileException when an input does not exist (checked before anything is scanned)
     */
    public Report diff(List<Path> previous, List<Path> next) throws IOException {
        for (Path p : previous) {
            Files.readAttributes(p, BasicFileAttributes.class); // fail fast on a missing input, before any work
        }
        for (Path p : next) {
            Files.readAttributes(p, BasicFileAttributes.class);
        }
        return options.policy().decide(vetRelease(ReleaseInput.of(next), previousRelease(ReleaseInput.of(previous))));
    }

    /**
     * Vets every file under {@code inputs}: what was found, with the findings' own severities and no verdict yet. A
     * policy decides it ({@link Policy#decide(Vetting)}), now or later, as often as needed.
     *
     * @throws java.nio.file.NoSuchFileException when an input does not exist (checked before anything is scanned)
     * @throws IOException when an input's attributes cannot be read at all
     */
    public Vetting vetRelease(List<ReleaseInput> inputs) throws IOException {
        Vetted release = vetInputs(inputs, false);
        return new Vetting(VERSION, release.files(), withEmptyRelease(inputs, release), Optional.empty());
    }

    /**
     * The release's findings, plus {@code release.empty} (high) when not one file was vetted: an empty directory, or
     * one that holds only links and special files. Nothing vetted is nothing known, so it must not pass as clean.
     */
    private static List<Finding> withEmptyRelease(List<ReleaseInput> inputs, Vetted release) {
        if (!release.files().isEmpty()) {
            return release.findings();
        }
        List<Finding> findings = new ArrayList<>(release.findings());
        String names = String.join(", ", inputs.stream().map(ReleaseInput::name).toList());
        findings.add(Finding.of(
                FindingCode.RELEASE_EMPTY,
                names,
                "the release holds no file that could be vetted"
                        + (release.findings().isEmpty() ? "" : " (see the other findings for what was skipped)"),
                Map.of("inputs", inputs.size(), "findings", release.findings().size())));
        return findings;
    }

    /**
     * Vets {@code next} as the successor of {@code previous}, whose records come from wherever the caller keeps them
     * (a directory just vetted, the scan cache, a database): {@code next}'s vetting plus the {@code diff.*} findings
     * of {@link ReleaseDiff} and a {@link DiffSection}, before any policy.
     */
    public Vetting vetRelease(List<ReleaseInput> next, PreviousRelease previous) throws IOException {
        Vetted now = vetInputs(next, false);
        List<String> newRoots = next.stream().map(ReleaseInput::name).toList();
        ReleaseDiff diff = ReleaseDiff.compare(previous.files(), previous.roots(), now.files(), newRoots);
        List<Finding> findings = new ArrayList<>(withEmptyRelease(next, now));
        findings.addAll(diff.findings());
        return new Vetting(
                VERSION, now.files(), findings, Optional.of(new DiffSection(previous.roots(), diff.changes())));
    }

    /**
     * The records of a release vetted before, to diff a new one against: taken from the {@link ScanCache} where it
     * holds them (one SHA-256 pass per file), else vetted. Its findings are not kept: it was approved before.
     */
    public PreviousRelease previousRelease(List<ReleaseInput> inputs) throws IOException {
        Vetted old = vetInputs(inputs, true);
        return new PreviousRelease(inputs.stream().map(ReleaseInput::name).toList(), old.files());
    }

    /** The files of one release and the findings about them, before the policy. */
    private record Vetted(List<FileRecord> files, List<Finding> findings) {}

    /**
     * Vets the files under {@code inputs}. With {@code reuse}, a top-level file found in the cache is not vetted again:
     * it contributes its cached records and no findings, so only a previous release may be vetted this way.
     */
    private Vetted vetInputs(List<ReleaseInput> inputs, boolean reuse) throws IOException {
        List<Target> targets = new ArrayList<>();
        List<Finding> walkFindings = new ArrayList<>();
        Map<ReleaseInput, BasicFileAttributes> roots = new LinkedHashMap<>();
        for (ReleaseInput input : inputs) {
            roots.put(input, Files.readAttributes(input.path(), BasicFileAttributes.class)); // follows a named link
        }
        Set<Path> seen = new HashSet<>();
        for (Map.Entry<ReleaseInput, BasicFileAttributes> root : roots.entrySet()) {
            collect(root.getKey(), root.getValue(), targets, walkFindings, seen);
        }
        List<VetResult> results = vetAll(targets, reuse);
        List<FileRecord> files = new ArrayList<>();
        List<Finding> findings = new ArrayList<>(walkFindings);
        for (VetResult r : results) {
            files.addAll(r.files());
            findings.addAll(r.findings());
        }
        files.sort(Comparator.comparing(FileRecord::path));
        return new Vetted(files, findings);
    }

    /**
     * Vets one file's bytes, reported under {@code reportPath} ({@code outer!inner} for a file inside a container).
     * Never throws for hostile content: what cannot be analysed becomes a finding. The content is used only during
     * the call, on the calling thread.
     */
    public VetResult vet(String reportPath, ByteView content) {
        Objects.requireNonNull(reportPath, "reportPath");
        Objects.requireNonNull(content, "content");
        try (Unpacker unpacker = Unpacker.create(options.limits(), content.size(), spoolMemory)) {
            return vet(reportPath, content, unpacker, 0, new DebSums());
        }
    }

    /**
     * Vets one file at nesting {@code depth} and, when it is a container, every file inside it, recursively through
     * {@code unpacker} (whose limits span the whole top-level file).
     */
    private VetResult vet(String reportPath, ByteView content, Unpacker unpacker, int depth, DebSums sums) {
        // A PE file's sections are measured in the profiling pass, so the PE parser need not read them again.
        FileProfile profile = FileProfiler.profile(content, PeFile.sectionData(content));
        Optional<ContainerType> container = ContainerType.detect(content);
        List<Finding> findings = new ArrayList<>();
        Optional<PeSummary> pe = Optional.empty();
        List<SignatureInfo> signatures = new ArrayList<>();
        boolean inFull = true;
        if (profile.type() == FileType.PE) {
            Optional<PeInspection> inspection = inspect(
                    peInspector,
                    reportPath,
                    new PeInspector.Image(content, profile.regionEntropy()),
                    signatures,
                    findings);
            pe = inspection.flatMap(PeInspection::summary);
            inFull = inspection.isPresent();
        }
        typeMismatch(reportPath, profile.type()).ifPresent(findings::add);
        if (container.isPresent() && container.get() == ContainerType.MSI) {
            inFull &= inspect(msiInspector, reportPath, content, signatures, findings)
                    .isPresent();
        }
        if (profile.indicatorsTruncated()) {
            findings.add(Finding.of(
                    FindingCode.INDICATORS_TRUNCATED,
                    reportPath,
                    "more than " + IndicatorExtractor.MAX_INDICATORS
                            + " network indicators; only the first ones are reported",
                    Map.of("limit", IndicatorExtractor.MAX_INDICATORS)));
        }
        VetResult inside = new VetResult(List.of(), List.of(), true);
        NetworkIndicators indicators = profile.indicators();
        List<NpmPackageRecord> npmPackages = new ArrayList<>();
        if (container.isPresent()) {
            JarVerifier.Evidence jar = new JarVerifier.Evidence();
            AtomicBoolean complete = new AtomicBoolean(true);
            inside = unpack(reportPath, content, container.get(), unpacker, depth, sums, jar, complete, npmPackages);
            if (container.get() == ContainerType.DEB) {
                findings.addAll(sums.check(reportPath, inside.files()));
            }
            if (complete.get() && container.get() != ContainerType.MSI) {
                indicators = NetworkIndicators.NONE;
            }
            if (container.get() == ContainerType.ZIP && jar.signed()) {
                inFull &= inspect(jarVerifier, reportPath, jar, signatures, findings)
                        .isPresent();
            }
        }
        FileRecord record = new FileRecord(
                reportPath,
                profile.size(),
                profile.hashes(),
                container.map(ScanEngine::fileType).orElse(profile.type()),
                profile.entropy(),
                signatures,
                indicators,
                pe,
                profile.referencedFiles(),
                npmPackages);
        for (FileAnalyzer analyzer : options.analyzers()) {
            try {
                findings.addAll(analyzer.analyze(record, content));
            } catch (AnalysisException e) {
                findings.add(analysisFailed(reportPath, analyzer.name(), String.valueOf(e.getMessage())));
                inFull = false;
            } catch (RuntimeException | StackOverflowError | LinkageError e) {
                findings.add(internalError(reportPath, analyzer.name(), e));
                inFull = false;
            }
        }
        return new VetResult(List.of(record), findings, inFull).plus(inside);
    }

    /**
     * Runs one inspection and adds what it found; the one place where an inspection's own failure (a bug in Tollgate,
     * never the file's fault: hostile content is a finding) is caught, logged and reported so that the file is held.
     *
     * @return what the inspection found; empty when it failed
     */
    private static <I> Optional<PeInspection> inspect(
            Inspector<I> inspector, String path, I input, List<SignatureInfo> signatures, List<Finding> findings) {
        try {
            PeInspection inspection = inspector.inspect(path, input);
            signatures.addAll(inspection.signatures());
            findings.addAll(inspection.findings());
            return Optional.of(inspection);
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            findings.add(internalError(path, inspector.name(), e));
            return Optional.empty();
        }
    }

    /**
     * Vets every file inside a container as {@code outer!inner}; unpacking problems become {@code archive.*} findings
     * on the container (high: what was not unpacked was not vetted; medium for links, duplicates and header
     * mismatches) and the walk goes on. The npm packages whose
     * {@code package.json} the container holds directly are added to {@code npmPackages}.
     */
    private VetResult unpack(
            String reportPath,
            ByteView content,
            ContainerType type,
            Unpacker unpacker,
            int depth,
            DebSums sums,
            JarVerifier.Evidence jar,
            AtomicBoolean complete,
            List<NpmPackageRecord> npmPackages) {
        List<FileRecord> files = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        boolean[] inFull = {true};
        String name = reportPath.substring(Math.max(reportPath.lastIndexOf('/'), reportPath.lastIndexOf('!')) + 1);
        unpacker.unpack(name, content, type, depth, new EntryVisitor() {
            @Override
            public void file(Entry entry, ByteView inner) {
                String innerPath = reportPath + "!" + entry.path();
                if (NpmPackage.isPackageManifest(entry.path(), type == ContainerType.ASAR)) {
                    NpmPackage.read(innerPath, inner)
                            .ifPresent(p -> npmPackages.add(new NpmPackageRecord(p.name(), p.version(), p.path())));
                }
                sums.offer(reportPath, entry.path(), inner);
                VetResult result = vet(innerPath, inner, unpacker, depth + 1, sums);
                inFull[0] &= result.inFull();
                files.addAll(result.files());
                findings.addAll(result.findings());
                if (type == ContainerType.ZIP && !result.files().isEmpty()) {
                    jar.entry(entry.storedName(), result.files().getFirst().hashes(), inner);
                }
            }

            @Override
            public void problem(Problem problem) {
                if (problem.kind() != ProblemKind.LINK) {
                    complete.set(false); // content may be missing or ambiguous: keep the container's own strings
                }
                findings.add(archiveFinding(reportPath, problem));
            }
        });
        return new VetResult(files, findings, inFull[0]);
    }

    /** The {@code archive.*} finding of an unpacking problem, at its code's default severity. */
    private static Finding archiveFinding(String path, Problem problem) {
        Map<String, Object> evidence = new LinkedHashMap<>(problem.evidence());
        if (!problem.entry().isEmpty()) {
            evidence.put("entry", problem.entry());
        }
        return Finding.of(archiveCode(problem.kind()), path, problem.message(), evidence);
    }

    /** The catalogued finding code of a kind of unpacking problem ({@code archive.bomb}, ...). */
    static FindingCode archiveCode(ProblemKind kind) {
        return FindingCode.of("archive." + kind.code())
                .orElseThrow(() -> new IllegalStateException("no finding code for unpacking problem " + kind));
    }

    private record Target(String reportPath, Path path, long size, boolean followLinks) {}

    private void collect(
            ReleaseInput input,
            BasicFileAttributes attributes,
            List<Target> targets,
            List<Finding> findings,
            Set<Path> seen)
            throws IOException {
        Path root = input.path();
        if (attributes.isRegularFile()) {
            if (seen.add(root.toAbsolutePath().normalize())) {
                targets.add(new Target(input.name(), root, attributes.size(), true));
            }
            return;
        }
        if (!attributes.isDirectory()) {
            findings.add(skipped(input.name(), "not a regular file or directory"));
            return;
        }
        Files.walkFileTree(
                root,
                EnumSet.noneOf(java.nio.file.FileVisitOption.class),
                Integer.MAX_VALUE,
                new Walker(input, targets, findings, seen));
    }

    private final class Walker extends SimpleFileVisitor<Path> {
        private final ReleaseInput root;
        private final List<Target> targets;
        private final List<Finding> findings;
        private final Set<Path> seen;

        Walker(ReleaseInput root, List<Target> targets, List<Finding> findings, Set<Path> seen) {
            this.root = root;
            this.targets = targets;
            this.findings = findings;
            this.seen = seen;
        }

        /** A file under the root as reported: its own path when the root goes by its path, else under the root's name. */
        private String pathOf(Path file) {
            return root.namedByPath()
                    ? reportPath(file)
                    : root.name() + "/" + reportPath(root.path().relativize(file));
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            String path = pathOf(file);
            if (attrs.isSymbolicLink()) {
                findings.add(skipped(path, "symbolic link (not followed)", linkTarget(file)));
            } else if (attrs.isRegularFile()) {
                if (seen.add(file.toAbsolutePath().normalize())) {
                    targets.add(new Target(path, file, attrs.size(), false));
                }
            } else if (!attrs.isDirectory()) {
                findings.add(skipped(path, "special file (device, FIFO or socket)", Map.of()));
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            findings.add(unreadable(pathOf(file), e));
            return FileVisitResult.CONTINUE;
        }
    }

    private List<VetResult> vetAll(List<Target> targets, boolean reuse) throws IOException {
        targets.sort(Comparator.comparing(Target::reportPath));
        int total = targets.size();
        long totalBytes = targets.stream().mapToLong(Target::size).sum();
        ScanProgress progress = options.progress();
        Object lock = new Object();
        long[] bytesDone = {0};
        int[] filesDone = {0};
        progress.update(0, total, 0, totalBytes);
        if (total == 0) {
            return List.of();
        }
        List<VetResult> results = new ArrayList<>(total);
        // The caller's pool when it gave one (shared by every engine it runs; not ours to shut down), else our own.
        ExecutorService own = options.executor().isPresent() ? null : newPool(Math.min(options.threads(), total));
        ExecutorService pool = options.executor().orElse(own);
        List<Future<VetResult>> futures = new ArrayList<>(Collections.nCopies(total, null));
        try {
            // Largest files first, so that the last files to finish are small ones and no core waits long for the
            // others at the end (the report keeps the path order: futures are collected by index).
            Integer[] bySize = new Integer[total];
            Arrays.setAll(bySize, i -> i);
            Arrays.sort(
                    bySize,
                    Comparator.comparingLong((Integer i) -> targets.get(i).size())
                            .reversed());
            for (int index : bySize) {
                Target target = targets.get(index);
                futures.set(index, pool.submit(() -> {
                    VetResult result = reuse ? cachedOrVetted(target) : vetAndStore(target);
                    synchronized (lock) {
                        filesDone[0]++;
                        bytesDone[0] += target.size();
                        progress.update(filesDone[0], total, bytesDone[0], totalBytes);
                    }
                    return result;
                }));
            }
            for (Future<VetResult> future : futures) {
                results.add(future.get());
            }
        } catch (InterruptedException e) {
            cancel(futures);
            Thread.currentThread().interrupt();
            throw new IOException("scan interrupted", e);
        } catch (ExecutionException e) {
            cancel(futures);
            Throwable cause = e.getCause();
            if (cause instanceof Error error) {
                throw error;
            }
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw new IllegalStateException("vetting failed: " + cause, cause);
        } finally {
            if (own != null) {
                own.close(); // waits for the tasks still running
            }
        }
        return results;
    }

    private static ExecutorService newPool(int threads) {
        AtomicInteger threadNumber = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tollgate-scan-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private static void cancel(List<Future<VetResult>> futures) {
        for (Future<VetResult> f : futures) {
            if (f != null) {
                f.cancel(true);
            }
        }
    }

    /** The target's records from the cache when it holds them; else {@link #vetAndStore}. */
    private VetResult cachedOrVetted(Target target) {
        if (!options.cache().enabled()) {
            return vetFile(target);
        }
        Optional<ScanCache.Key> key = contentKey(target);
        if (key.isPresent()) {
            Optional<List<FileRecord>> cached = options.cache().load(key.get());
            if (cached.isPresent()) {
                List<FileRecord> files = new ArrayList<>(cached.get().size());
                for (FileRecord r : cached.get()) {
                    files.add(moved(r, "", target.reportPath()));
                }
                return new VetResult(files, List.of(), true);
            }
        }
        return vetAndStore(target);
    }

    /**
     * The cache key of the target's current content: one streaming SHA-256 pass. Empty when the file cannot be read;
     * vetting it then reports why.
     */
    private Optional<ScanCache.Key> contentKey(Target target) {
        OpenOption[] open = target.followLinks()
                ? new OpenOption[] {StandardOpenOption.READ}
                : new OpenOption[] {StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS};
        try (FileChannel channel = FileChannel.open(target.path(), open);
                DigestStream sha256 = DigestStream.create(DigestStream.Algorithm.SHA_256)) {
            ByteBuffer buffer = HASH_BUFFER.get().clear();
            long size = 0;
            for (int n = channel.read(buffer); n >= 0; n = channel.read(buffer)) {
                size += buffer.position();
                sha256.update(buffer.flip());
                buffer.clear();
            }
            return Optional.of(
                    new ScanCache.Key(cacheContext.get(), nameOf(target.reportPath()), sha256.finishHex(), size));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Vets the target and stores its records in the cache, keyed by the hash the vetting computed of the very bytes
     * it vetted. Not stored: a file that could not be read, or whose inspection failed (a later build may do better).
     */
    private VetResult vetAndStore(Target target) {
        VetResult result = vetFile(target);
        if (!options.cache().enabled() || result.files().isEmpty()) {
            return result;
        }
        FileRecord top = result.files().getFirst();
        if (!result.inFull() || !top.path().equals(target.reportPath())) {
            return result;
        }
        List<FileRecord> relative = new ArrayList<>(result.files().size());
        for (FileRecord r : result.files()) {
            String rest =
                    r.path().substring(Math.min(r.path().length(), top.path().length()));
            if (!r.path().startsWith(top.path()) || !(rest.isEmpty() || rest.startsWith("!"))) {
                return result;
            }
            relative.add(moved(r, top.path(), ""));
        }
        options.cache()
                .store(
                        new ScanCache.Key(
                                cacheContext.get(),
                                nameOf(target.reportPath()),
                                top.hashes().sha256(),
                                top.size()),
                        relative);
        return result;
    }

    /**
     * The record with its path, and the paths of its npm packages, moved from under {@code from} to under {@code to}:
     * a cache entry holds paths relative to its top-level file.
     */
    private static FileRecord moved(FileRecord r, String from, String to) {
        return r.withPath(to + r.path().substring(from.length()))
                .withNpmPackages(r.npmPackages().stream()
                        .filter(p -> p.path().startsWith(from))
                        .map(p -> new NpmPackageRecord(
                                p.name(), p.version(), to + p.path().substring(from.length())))
                        .toList());
    }

    private static String nameOf(String reportPath) {
        return reportPath.substring(Math.max(reportPath.lastIndexOf('/'), reportPath.lastIndexOf('!')) + 1);
    }

    /**
     * What a file's records depend on besides its content and name: Tollgate's version and build, the unpack limits
     * (which files inside a container are reached) and the trust anchors (signature statuses).
     */
    private static String cacheContext(ScanOptions options) {
        List<String> roots = options.trust().thumbprints();
        String context = String.join(
                "\n",
                "tollgate " + VERSION,
                "build " + BUILD,
                "limits " + options.limits(),
                "trust " + String.join(",", roots));
        return DigestStream.hex(DigestStream.Algorithm.SHA_256, context.getBytes(StandardCharsets.UTF_8));
    }

    private VetResult vetFile(Target target) {
        OpenOption[] open = target.followLinks()
                ? new OpenOption[] {StandardOpenOption.READ}
                : new OpenOption[] {StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS};
        try (Arena arena = Arena.ofConfined();
                FileChannel channel = FileChannel.open(target.path(), open)) {
            Optional<FileState> before = FileState.of(target.path(), target.followLinks());
            long size = channel.size();
            ByteView view = size == 0
                    ? ByteView.of(new byte[0])
                    : ByteView.of(channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena));
            VetResult result = vet(target.reportPath(), view);
            Optional<FileState> after = FileState.of(target.path(), target.followLinks());
            if (before.isEmpty() || !before.equals(after) || before.get().size() != size) {
                return new VetResult(result.files(), result.findings(), false)
                        .plus(VetResult.of(changed(target.reportPath(), size, before, after)));
            }
            return result;
        } catch (IOException e) {
            return VetResult.of(unreadable(target.reportPath(), e));
        } catch (InternalError e) {
            // The JVM turns SIGBUS on a mapped page into InternalError: the file shrank while being read.
            return VetResult.of(Finding.of(
                    FindingCode.FILE_UNREADABLE,
                    target.reportPath(),
                    "cannot read " + target.reportPath() + ": the file changed while it was being read",
                    Map.of("reason", "file changed while being read")));
        }
    }

    /**
     * What identifies a file's content without reading it: size, modification and status-change times, and the file
     * key (device and inode). Taken before and after vetting: a file written, truncated, touched or replaced meanwhile
     * was not vetted as it now is. The status-change time is the one a writer cannot set back.
     */
    private record FileState(long size, Object modified, Object changed, Object key) {

        static Optional<FileState> of(Path path, boolean followLinks) {
            LinkOption[] options = followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
            try {
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, options);
                Object ctime;
                try {
                    ctime = Files.getAttribute(path, "unix:ctime", options);
                } catch (UnsupportedOperationException | IllegalArgumentException e) {
                    ctime = "";
                }
                return Optional.of(new FileState(
                        a.size(), a.lastModifiedTime(), ctime, Objects.requireNonNullElse(a.fileKey(), "")));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    /** {@code file.unreadable} for a file that changed while it was vetted: what was vetted is not what is there. */
    private static Finding changed(String path, long mapped, Optional<FileState> before, Optional<FileState> after) {
        String now = after.map(a -> a.size() + " bytes now").orElse("gone now");
        return Finding.of(
                FindingCode.FILE_UNREADABLE,
                path,
                "cannot vet " + path + ": the file changed while it was being read (" + mapped + " bytes when opened, "
                        + now + "); vet it again once it is no longer being written",
                Map.of(
                        "reason",
                        "file changed while being read",
                        "sizeWhenOpened",
                        mapped,
                        "sizeNow",
                        after.map(FileState::size).orElse(-1L)));
    }

    static String reportPath(Path path) {
        String s = path.normalize().toString();
        return path.getFileSystem().getSeparator().equals("/")
                ? s
                : s.replace(path.getFileSystem().getSeparator(), "/");
    }

    private static Map<String, Object> linkTarget(Path link) {
        try {
            return Map.of("target", Files.readSymbolicLink(link).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Map.of();
        }
    }

    private static Finding skipped(String path, String why) {
        return skipped(path, why, Map.of());
    }

    private static Finding skipped(String path, String why, Map<String, Object> extra) {
        Map<String, Object> evidence = new LinkedHashMap<>(extra);
        evidence.put("reason", why);
        return Finding.of(FindingCode.FILE_SKIPPED, path, "skipped " + path + ": " + why, evidence);
    }

    private static Finding unreadable(String path, IOException e) {
        String reason = IoMessages.reason(e);
        return Finding.of(
                FindingCode.FILE_UNREADABLE, path, "cannot read " + path + ": " + reason, Map.of("reason", reason));
    }

    /** File name extensions of Windows executables and installers, whose content must be a PE image or an MSI. */
    private static final Set<String> EXECUTABLE_EXTENSIONS =
            Set.of("exe", "dll", "sys", "ocx", "cpl", "scr", "drv", "efi", "msi", "mui");

    /**
     * A file named like a Windows executable whose content is not one: empty, truncated before its headers, or
     * something else under an executable's name. A release should not ship it, and a loader may still try it.
     */
    private static Optional<Finding> typeMismatch(String reportPath, FileType type) {
        int slash = Math.max(reportPath.lastIndexOf('/'), reportPath.lastIndexOf('!'));
        String name = reportPath.substring(slash + 1);
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
        if (!EXECUTABLE_EXTENSIONS.contains(extension)
                || type == FileType.PE
                || type == FileType.OLE
                || type == FileType.MSI) {
            return Optional.empty();
        }
        String what = type == FileType.EMPTY ? "empty" : "not a PE image (its content is " + type.label() + ")";
        return Optional.of(Finding.of(
                FindingCode.FILE_TYPE_MISMATCH,
                reportPath,
                "named like a Windows executable (." + extension + ") but " + what,
                Map.of("extension", extension, "type", type.label())));
    }

    /** The file type of a container, by the label both name it with. */
    private static FileType fileType(ContainerType container) {
        return FileType.fromLabel(container.label())
                .orElseThrow(() -> new IllegalStateException("no file type for container " + container));
    }

    private static Finding analysisFailed(String path, String analyzer, String message) {
        return Finding.of(
                FindingCode.ANALYSIS_FAILED,
                path,
                analyzer + " could not analyse " + path + ": " + message,
                Map.of("analyzer", analyzer, "error", message));
    }

    /**
     * The finding for a check that failed inside Tollgate: {@code analysis.failed}, so the release is held. Its message
     * names the check and the kind of error but never copies the exception's text, which can carry internals (paths,
     * offsets into our own structures) into a report that a server serves; the whole exception goes to the log.
     */
    private static Finding internalError(String path, String check, Throwable e) {
        LOG.log(System.Logger.Level.WARNING, "internal error in the " + check + " check of " + path, e);
        return analysisFailed(
                path,
                check,
                "internal error (" + e.getClass().getSimpleName() + "); the file was not vetted in full. This is a bug"
                        + " in Tollgate: please report it");
    }

    private static String loadProperty(String name) {
        try (InputStream in = ScanEngine.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty(name, "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
