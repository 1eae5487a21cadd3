package dev.tollgate.server;

import dev.tollgate.engine.ReleaseInput;
import dev.tollgate.engine.ScanEngine;
import dev.tollgate.engine.ScanOptions;
import dev.tollgate.formats.archive.SpoolMemory;
import dev.tollgate.model.PreviousRelease;
import dev.tollgate.model.Report;
import dev.tollgate.model.Vetting;
import dev.tollgate.policy.Policy;
import dev.tollgate.policy.PolicyException;
import dev.tollgate.policy.PolicyLoader;
import dev.tollgate.report.RecordCodec;
import dev.tollgate.report.ReportWriter;
import dev.tollgate.signatures.TrustAnchors;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The one place the server calls the engine: vets a release's blob, against the previous approved release's stored
 * records when there is one, with the product's trust anchors, then decides it with the product's policy, as
 * {@code tollgate diff} / {@code scan} would. Files are reported under the name they were uploaded with
 * ({@code OrbitPhone-1.1.0.zip!ffmpeg.dll}); no server path reaches a report.
 *
 * <p>Every analysis on this node shares one pool of vetting threads (one per core) and one heap allowance for unpacked
 * entries, however many workers run at once: a worker adds analyses, not threads or memory.
 */
@Component
final class ReleaseVetting implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseVetting.class);

    private final ExecutorService pool;
    private final SpoolMemory spoolMemory = SpoolMemory.of(SpoolMemory.DEFAULT_CAPACITY);

    ReleaseVetting(ServerSettings settings) {
        int threads = Math.clamp(settings.vettingThreads(), 1, ScanOptions.MAX_THREADS);
        AtomicInteger number = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tollgate-vet-" + number.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** A file of a release to vet: its blob and the name it was uploaded under. */
    record Input(Path blob, String fileName) {}

    /** The release a new one is compared with: its id, its upload, and its stored vetting (when readable). */
    record Baseline(String id, Input input, Optional<String> vettingJson) {}

    /**
     * The decided report, its JSON (the CLI's {@code --format json}), the vetting before the policy in its stored form,
     * and the release it was compared with.
     */
    record Vetted(Report report, String reportJson, String vettingJson, Optional<String> previousId) {}

    /** A vetting that cannot succeed however often it is retried: a stored policy the engine refuses. */
    static final class PermanentFailure extends Exception {
        private static final long serialVersionUID = 1L;

        PermanentFailure(String message) {
            super(message);
        }
    }

    /** The layout of stored vettings ({@code release_vettings.format}). */
    static String vettingFormat() {
        return RecordCodec.VETTING_FORMAT;
    }

    /** What is wrong with a policy, in the engine's words (naming the key), or empty when it is valid. */
    Optional<String> checkPolicy(String yaml) {
        try {
            PolicyLoader.parse(yaml, "policy");
            return Optional.empty();
        } catch (PolicyException e) {
            String message = e.getMessage();
            return Optional.of(message.startsWith("policy: ") ? message.substring("policy: ".length()) : message);
        }
    }

    Vetted vet(Input next, Optional<Baseline> baseline, List<String> trustAnchorPems, Optional<String> policyYaml)
            throws IOException, PermanentFailure {
        Policy policy;
        try {
            policy = policyYaml.isEmpty() ? Policy.defaults() : PolicyLoader.parse(policyYaml.get(), "policy");
        } catch (PolicyException e) {
            throw new PermanentFailure("the product's policy is not valid: " + e.getMessage());
        }
        List<X509Certificate> anchors = new ArrayList<>();
        for (int i = 0; i < trustAnchorPems.size(); i++) {
            anchors.addAll(TrustAnchors.parsePem("trust anchor " + (i + 1), trustAnchorPems.get(i)));
        }
        ScanOptions options = ScanOptions.defaults()
                .withTrust(TrustAnchors.standardWith(anchors))
                .withPolicy(policy)
                .withExecutor(pool)
                .withSpoolMemory(spoolMemory);
        options = options.withLimits(policy.limits(options.limits()));
        ScanEngine engine = ScanEngine.create(options);
        List<ReleaseInput> inputs = List.of(new ReleaseInput(next.blob(), next.fileName()));
        Vetting vetting = baseline.isPresent()
                ? engine.vetRelease(inputs, previous(engine, baseline.get()))
                : engine.vetRelease(inputs);
        Report report = policy.decide(vetting);
        StringWriter json = new StringWriter();
        ReportWriter.json().write(report, json);
        return new Vetted(
                report,
                json.toString(),
                new String(RecordCodec.writeVetting(vetting), StandardCharsets.UTF_8),
                baseline.map(Baseline::id));
    }

    /**
     * The previous release's records: read back from its stored vetting, or, when that is missing or unreadable (a
     * vetting stored by an older layout), vetted again from its blob.
     */
    private static PreviousRelease previous(ScanEngine engine, Baseline baseline) throws IOException {
        List<String> roots = List.of(baseline.input().fileName());
        if (baseline.vettingJson().isPresent()) {
            try {
                Vetting stored =
                        RecordCodec.readVetting(baseline.vettingJson().get().getBytes(StandardCharsets.UTF_8));
                return new PreviousRelease(roots, stored.files());
            } catch (RecordCodec.MalformedRecordException e) {
                LOG.warn(
                        "release {}: its stored vetting cannot be read ({}); vetting its file again",
                        baseline.id(),
                        e.getMessage());
            }
        }
        return engine.previousRelease(List.of(
                new ReleaseInput(baseline.input().blob(), baseline.input().fileName())));
    }

    @Override
    public void destroy() {
        pool.shutdownNow();
    }
}
