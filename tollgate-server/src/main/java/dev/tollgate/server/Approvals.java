package dev.tollgate.server;

import dev.tollgate.store.ApprovalRepository;
import dev.tollgate.store.ApprovalRow;
import dev.tollgate.store.ApprovalState;
import dev.tollgate.store.Ids;
import dev.tollgate.store.ReleaseRepository;
import dev.tollgate.store.ReleaseRow;
import dev.tollgate.store.ReleaseStatus;
import dev.tollgate.store.TokenRepository;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decisions on vetted releases (DESIGN.md, "approval"): a {@code hold} is approved by one approver, a {@code block}
 * only by two distinct ones, each with a reason; nobody decides a release they submitted, or decides twice; one
 * rejection rejects. A release whose analysis failed cannot be approved: it was never vetted. Decisions on one release
 * are serialized by a row lock, so that two approvals at once count as two.
 */
@Service
final class Approvals {

    static final int BLOCK_OVERRIDE_APPROVERS = 2;

    private final ReleaseRepository releases;
    private final ApprovalRepository approvals;
    private final TokenRepository tokens;
    private final Releases reader;
    private final Audit audit;
    private final Clock clock;
    private final TransactionTemplate transaction;

    Approvals(
            ReleaseRepository releases,
            ApprovalRepository approvals,
            TokenRepository tokens,
            Releases reader,
            Audit audit,
            Clock clock,
            TransactionTemplate transaction) {
        this.releases = releases;
        this.approvals = approvals;
        this.tokens = tokens;
        this.reader = reader;
        this.audit = audit;
        this.clock = clock;
        this.transaction = transaction;
    }

    /** The decision recorded, and the release's approval state after it. */
    record Outcome(ApprovalRow decision, ApprovalState approval) {}

    Outcome decide(Caller caller, String releaseId, Api.Decide request) {
        String id = reader.find(releaseId).id();
        if (request == null) {
            throw ProblemException.badRequest("The request body is required: {\"decision\": ..., \"reason\": ...}.");
        }
        String decision = request.decision();
        if (!"approve".equals(decision) && !"reject".equals(decision)) {
            throw ProblemException.badRequest("The field 'decision' must be 'approve' or 'reject'.");
        }
        String reason = Validation.text(request.reason(), "reason", 2000);
        return transaction.execute(status -> {
            ReleaseRow release = releases.lockForUpdate(id).orElseThrow();
            if (release.submittedBy().equals(caller.actor()) || submittedWithTheirToken(release, caller)) {
                throw ProblemException.forbidden("You submitted this release; someone else must decide it.");
            }
            List<ApprovalRow> earlier = approvals.forRelease(id);
            if (earlier.stream().anyMatch(a -> a.decidedBy().equals(caller.actor()))) {
                throw ProblemException.forbidden("You already decided on this release.");
            }
            if (release.status() == ReleaseStatus.QUEUED || release.status() == ReleaseStatus.ANALYSING) {
                throw ProblemException.conflict("The release is still being vetted; decide it once it is done.");
            }
            if (release.approval() != ApprovalState.PENDING) {
                throw ProblemException.conflict(
                        "The release is already " + release.approval().label() + ".");
            }
            if (release.status() == ReleaseStatus.FAILED && decision.equals("approve")) {
                throw ProblemException.conflict(
                        "The release's analysis failed, so it was never vetted and cannot be approved; submit it"
                                + " again as a new version, or reject it.");
            }
            ApprovalRow row = new ApprovalRow(Ids.next(), id, caller.actor(), decision, reason, clock.instant());
            approvals.insert(row);
            ApprovalState after = approvalAfter(release, earlier, decision);
            if (after != release.approval()) {
                releases.setApproval(id, after);
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("decision", decision);
            details.put("reason", reason);
            details.put("verdict", release.verdict().orElse(null));
            details.put("approval", after.label());
            audit.record(caller.actor(), "release." + decision, "release:" + id, details);
            return new Outcome(row, after);
        });
    }

    /** A release submitted with an API token that this person created counts as their own submission. */
    private boolean submittedWithTheirToken(ReleaseRow release, Caller caller) {
        String submitter = release.submittedBy();
        return caller.person()
                && submitter.startsWith("token:")
                && tokens.find(submitter.substring("token:".length()))
                        .map(t -> t.createdBy().equals(caller.actor()))
                        .orElse(false);
    }

    private static ApprovalState approvalAfter(ReleaseRow release, List<ApprovalRow> earlier, String decision) {
        if (decision.equals("reject")) {
            return ApprovalState.REJECTED;
        }
        long approvers =
                earlier.stream().filter(a -> a.decision().equals("approve")).count() + 1;
        boolean blocked = release.verdict().map("block"::equals).orElse(false);
        return !blocked || approvers >= BLOCK_OVERRIDE_APPROVERS ? ApprovalState.APPROVED : ApprovalState.PENDING;
    }
}
