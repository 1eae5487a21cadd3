package dev.tollgate.server;

import dev.tollgate.store.ApprovalRepository;
import dev.tollgate.store.ApprovalRow;
import dev.tollgate.store.FindingRow;
import dev.tollgate.store.Page;
import dev.tollgate.store.ReleaseRepository;
import dev.tollgate.store.ReleaseRow;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** Reading releases: the row, its decisions, its findings and its report. */
@Service
final class Releases {

    private final ReleaseRepository releases;
    private final ApprovalRepository approvals;
    private final Products products;

    Releases(ReleaseRepository releases, ApprovalRepository approvals, Products products) {
        this.releases = releases;
        this.approvals = approvals;
        this.products = products;
    }

    /** A release with everything the API shows of it. */
    record Detail(
            ReleaseRow release, List<ApprovalRow> approvals, List<FindingRow> findings, Optional<String> report) {}

    ReleaseRow find(String id) {
        return releases.find(Validation.id(id, "release"))
                .orElseThrow(() -> ProblemException.notFound("No release has this id."));
    }

    Detail detail(String id) {
        ReleaseRow release = find(id);
        return new Detail(
                release,
                approvals.forRelease(release.id()),
                releases.findings(release.id()),
                releases.reportJson(release.id()));
    }

    Page<ReleaseRow> page(String productId, Optional<String> before, int limit) {
        return releases.page(products.find(productId).id(), before, limit);
    }
}
