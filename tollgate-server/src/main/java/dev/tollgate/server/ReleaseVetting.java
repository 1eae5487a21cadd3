package dev.tollgate.server;

import dev.tollgate.engine.Policy;
import dev.tollgate.engine.PolicyException;
import dev.tollgate.engine.ReportWriter;
import dev.tollgate.engine.ScanEngine;
import dev.tollgate.engine.ScanOptions;
import dev.tollgate.engine.TrustAnchors;
import dev.tollgate.model.Report;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * The one place the server calls the engine: vets a release's blob, as a diff against the previous approved release's
 * blob when there is one, with the product's trust anchors and policy, exactly as {@code tollgate diff} / {@code scan}
 * would. Each analysis works in a directory of its own under {@code <data>/work}, where the blobs appear under the
 * file names they were uploaded with (symbolic links: nothing is copied); the report's paths are then made relative to
 * it, so that they read as the CLI's ({@code OrbitPhone-1.1.0.zip!ffmpeg.dll}).
 */
@Component
final class ReleaseVetting {

    private final Path work;
    private final ServerSettings settings;

    /** A work directory older than this was left by a node that died mid-analysis (no analysis lasts this long). */
    private static final Duration ABANDONED = Duration.ofDays(1);

    ReleaseVetting(ServerSettings settings) throws IOException {
        this.settings = settings;
        this.work = Files.createDirectories(settings.dataDirectory().resolve("work"));
        removeAbandoned();
    }

    private void removeAbandoned() throws IOException {
        Instant before = Instant.now().minus(ABANDONED);
        try (Stream<Path> dirs = Files.list(work)) {
            for (Path dir : dirs.toList()) {
                if (Files.getLastModifiedTime(dir).toInstant().isBefore(before)) {
                    deleteTree(dir);
                }
            }
        }
    }

    /** A file of a release to vet: its blob and the name it was uploaded under. */
    record Input(Path blob, String fileName) {}

    /** The vetting's report, its JSON (the CLI's {@code --format json}), and the release it was compared with. */
    record Vetted(Report report, String reportJson, Optional<String> previousId) {

        Vetted withPrevious(Optional<String> id) {
            return new Vetted(report, reportJson, id);
        }
    }

    /** A vetting that cannot succeed however often it is retried: a stored policy the engine refuses. */
    static final class PermanentFailure extends Exception {
        private static final long serialVersionUID = 1L;

        PermanentFailure(String message) {
            super(message);
        }
    }

    /** What is wrong with a policy, in the engine's words (naming the key), or empty when it is valid. */
    Optional<String> checkPolicy(String yaml) {
        try {
            Policy.parse(yaml, "policy");
            return Optional.empty();
        } catch (PolicyException e) {
            String message = e.getMessage();
            return Optional.of(message.startsWith("policy: ") ? message.substring("policy: ".length()) : message);
        }
    }

    Vetted vet(Input next, Optional<Input> previous, List<String> trustAnchorPems, Optional<String> policyYaml)
            throws IOException, PermanentFailure {
        Path dir = Files.createDirectory(work.resolve(UUID.randomUUID().toString()));
        try {
            Policy policy;
            try {
                policy = policyYaml.isEmpty() ? Policy.defaults() : Policy.parse(policyYaml.get(), "policy");
            } catch (PolicyException e) {
                throw new PermanentFailure("the product's policy is not valid: " + e.getMessage());
            }
            List<Path> pems = new ArrayList<>();
            for (String pem : trustAnchorPems) {
                Path file = dir.resolve("trust-" + pems.size() + ".pem");
                Files.writeString(file, pem, StandardCharsets.US_ASCII);
                pems.add(file);
            }
            ScanOptions options = ScanOptions.defaults()
                    .withTrust(TrustAnchors.standard(pems))
                    .withPolicy(policy)
                    .withThreads(settings.threadsPerAnalysis());
            options = options.withLimits(policy.limits(options.limits()));
            ScanEngine engine = ScanEngine.create(options);
            Path nextPath = link(dir.resolve("next"), next);
            Report report;
            List<String> prefixes = new ArrayList<>(List.of(dir.resolve("next") + "/"));
            if (previous.isPresent()) {
                Path previousPath = link(dir.resolve("previous"), previous.get());
                prefixes.add(dir.resolve("previous") + "/");
                report = engine.diff(List.of(previousPath), List.of(nextPath));
            } else {
                report = engine.scan(List.of(nextPath));
            }
            report = ReportPaths.strip(report, prefixes);
            StringWriter json = new StringWriter();
            ReportWriter.json().write(report, json);
            return new Vetted(report, json.toString(), Optional.empty());
        } finally {
            deleteTree(dir);
        }
    }

    private static Path link(Path dir, Input input) throws IOException {
        Files.createDirectory(dir);
        return Files.createSymbolicLink(dir.resolve(input.fileName()), input.blob());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
