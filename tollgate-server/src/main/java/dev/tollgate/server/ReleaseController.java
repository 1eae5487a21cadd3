package dev.tollgate.server;

import dev.tollgate.store.Page;
import dev.tollgate.store.ProductRow;
import dev.tollgate.store.ReleaseRow;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.multipart.support.MissingServletRequestPartException;

/** Releases: submitted as multipart uploads, read with their verdict, findings and report, decided by approvers. */
@RestController
final class ReleaseController {

    private final ReleaseIntake intake;
    private final Releases releases;
    private final Approvals approvals;

    ReleaseController(ReleaseIntake intake, Releases releases, Approvals approvals) {
        this.intake = intake;
        this.releases = releases;
        this.approvals = approvals;
    }

    /**
     * Multipart {@code version} and {@code file}. The body is parsed only after the announced length passed the
     * product's limit and the free-space check, and the file part is streamed from the container's spool file.
     */
    @PostMapping(path = "/api/v1/products/{id}/releases", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @RequiresPermission(Permission.RELEASE_SUBMIT)
    ResponseEntity<Api.ReleaseAccepted> submit(@PathVariable String id, HttpServletRequest request)
            throws MissingServletRequestPartException {
        ProductRow product = intake.admit(id, request.getContentLengthLong());
        if (!(request instanceof MultipartHttpServletRequest multipart)) {
            throw ProblemException.badRequest(
                    "The body must be multipart/form-data with the fields 'version' and 'file'.");
        }
        MultipartFile file = multipart.getFile("file");
        if (file == null) {
            throw new MissingServletRequestPartException("file");
        }
        String version = multipart.getParameter("version");
        if (version == null) {
            throw new MissingServletRequestPartException("version");
        }
        ReleaseRow release = intake.submit(
                PermissionInterceptor.caller(),
                product,
                version,
                file.getOriginalFilename(),
                file.getSize(),
                file::getInputStream);
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/api/v1/releases/" + release.id()))
                .body(new Api.ReleaseAccepted(release.id(), release.status().label()));
    }

    @GetMapping("/api/v1/products/{id}/releases")
    @RequiresPermission(Permission.RELEASE_READ)
    Api.ListPage<Api.ReleaseSummary> list(
            @PathVariable String id,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        Page<ReleaseRow> page = releases.page(id, Validation.cursor(cursor), Validation.limit(limit));
        return new Api.ListPage<>(
                page.items().stream().map(ReleaseController::summary).toList(),
                page.next().orElse(null));
    }

    @GetMapping("/api/v1/releases/{id}")
    @RequiresPermission(Permission.RELEASE_READ)
    Api.Release get(@PathVariable String id) {
        Releases.Detail detail = releases.detail(id);
        ReleaseRow r = detail.release();
        return new Api.Release(
                r.id(),
                r.productId(),
                r.version(),
                r.status().label(),
                r.verdict().orElse(null),
                r.approval().label(),
                r.previousId().orElse(null),
                r.fileName(),
                r.blobSha256(),
                r.sizeBytes(),
                r.submittedBy(),
                r.failure().orElse(null),
                r.createdAt(),
                r.completedAt().orElse(null),
                detail.approvals().stream()
                        .map(a -> new Api.Approval(a.id(), a.decision(), a.reason(), a.decidedBy(), a.decidedAt()))
                        .toList(),
                detail.findings().stream()
                        .map(f -> new Api.Finding(f.code(), f.severity(), f.path(), f.message(), f.evidenceJson()))
                        .toList(),
                detail.report().orElse(null));
    }

    @PostMapping(path = "/api/v1/releases/{id}/approvals", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.RELEASE_DECIDE)
    @PeopleOnly
    @StepUp
    ResponseEntity<Api.Decided> decide(@PathVariable String id, @RequestBody Api.Decide request) {
        Approvals.Outcome outcome = approvals.decide(PermissionInterceptor.caller(), id, request);
        var d = outcome.decision();
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new Api.Decided(
                        d.id(),
                        d.releaseId(),
                        d.decision(),
                        d.reason(),
                        d.decidedBy(),
                        outcome.approval().label()));
    }

    private static Api.ReleaseSummary summary(ReleaseRow r) {
        return new Api.ReleaseSummary(
                r.id(),
                r.productId(),
                r.version(),
                r.status().label(),
                r.verdict().orElse(null),
                r.approval().label(),
                r.previousId().orElse(null),
                r.blobSha256(),
                r.createdAt());
    }
}
