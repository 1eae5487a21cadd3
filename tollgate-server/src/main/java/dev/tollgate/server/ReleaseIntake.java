package dev.tollgate.server;

import dev.tollgate.store.BlobStore;
import dev.tollgate.store.BlobTooLargeException;
import dev.tollgate.store.Ids;
import dev.tollgate.store.InsufficientStorageException;
import dev.tollgate.store.JobQueue;
import dev.tollgate.store.ProductRow;
import dev.tollgate.store.ReleaseRepository;
import dev.tollgate.store.ReleaseRow;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes a release in: streams its file into the blob store (size limit and free space checked first, SHA-256 computed
 * on the way), then records the release and queues its analysis in one transaction. The same bytes uploaded again as
 * the same version give back the release already recorded.
 */
@Service
final class ReleaseIntake {

    static final String JOB_KIND = "vet-release";

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseIntake.class);
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]{0,99}");
    /** Room for the multipart framing and the version field beyond the file itself. */
    private static final long MULTIPART_OVERHEAD = 64 << 10;

    private final Products products;
    private final ReleaseRepository releases;
    private final BlobStore blobs;
    private final JobQueue queue;
    private final Audit audit;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final ServerSettings settings;

    ReleaseIntake(
            Products products,
            ReleaseRepository releases,
            BlobStore blobs,
            JobQueue queue,
            Audit audit,
            Clock clock,
            TransactionTemplate transaction,
            ServerSettings settings) {
        this.products = products;
        this.releases = releases;
        this.blobs = blobs;
        this.queue = queue;
        this.audit = audit;
        this.clock = clock;
        this.transaction = transaction;
        this.settings = settings;
    }

    /** The release's content, read once. */
    interface Content {
        InputStream open() throws IOException;
    }

    /**
     * Refuses, before the body is read, a request whose announced length is over the product's limit (413) or over the
     * free space of the blob store (507). {@code contentLength} is -1 when the client did not announce one.
     */
    ProductRow admit(String productId, long contentLength) {
        ProductRow product = products.find(productId);
        if (contentLength > product.maxReleaseBytes() + MULTIPART_OVERHEAD) {
            throw tooLarge(product.maxReleaseBytes());
        }
        try {
            // twice: the container spools the part to disk, then the blob store keeps its own copy
            if (contentLength > 0 && 2 * contentLength > blobs.availableBytes()) {
                throw insufficientStorage();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the blob store's free space", e);
        }
        return product;
    }

    /** Stores and queues a release; returns it, or the release already recorded for these bytes and this version. */
    ReleaseRow submit(
            Caller caller, ProductRow product, String version, String originalName, long size, Content content) {
        String checkedVersion = Validation.matching(
                version,
                "version",
                VERSION,
                "1 to 100 characters of letters, digits and ._+~- starting with a letter or digit");
        String fileName = fileName(originalName);
        if (size > product.maxReleaseBytes()) {
            throw tooLarge(product.maxReleaseBytes());
        }
        BlobStore.Stored blob;
        try (InputStream in = content.open()) {
            blob = blobs.store(in, size, product.maxReleaseBytes());
        } catch (BlobTooLargeException e) {
            throw tooLarge(product.maxReleaseBytes());
        } catch (InsufficientStorageException e) {
            LOG.warn("upload refused: the blob store is short of space ({})", e.getMessage());
            throw insufficientStorage();
        } catch (IOException e) {
            throw ProblemException.badRequest("The upload could not be read to its end; send it again.");
        }
        Optional<ReleaseRow> existing = releases.findByVersion(product.id(), checkedVersion);
        if (existing.isPresent()) {
            return sameOrConflict(existing.get(), blob);
        }
        ReleaseRow release = ReleaseRow.queued(
                Ids.next(),
                product.id(),
                checkedVersion,
                fileName,
                blob.sha256(),
                blob.size(),
                caller.actor(),
                clock.instant());
        try {
            transaction.executeWithoutResult(status -> {
                releases.insert(release);
                queue.enqueue(JOB_KIND, release.id(), settings.maxAttempts());
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("productId", product.id());
                details.put("version", checkedVersion);
                details.put("fileName", fileName);
                details.put("sha256", blob.sha256());
                details.put("size", blob.size());
                audit.record(caller.actor(), "release.submitted", "release:" + release.id(), details);
            });
        } catch (DuplicateKeyException e) { // the same version uploaded at the same moment
            return sameOrConflict(
                    releases.findByVersion(product.id(), checkedVersion).orElseThrow(() -> e), blob);
        }
        return release;
    }

    private static ReleaseRow sameOrConflict(ReleaseRow existing, BlobStore.Stored blob) {
        if (existing.blobSha256().equals(blob.sha256())) {
            return existing;
        }
        throw ProblemException.conflict("Version " + existing.version()
                + " of this product was already uploaded with other content (sha256 " + existing.blobSha256()
                + "); a version's content cannot change.");
    }

    /** The uploaded file's name, reduced to a safe base name (it names the release's top file in the report). */
    static String fileName(String original) {
        String name = original == null ? "" : original.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        StringBuilder safe = new StringBuilder();
        for (int i = 0; i < name.length() && safe.length() < 200; i++) {
            char c = name.charAt(i);
            safe.append(
                    Character.isLetterOrDigit(c) && c < 0x80 || c == '.' || c == '-' || c == '_' || c == '+' ? c : '_');
        }
        String result = safe.toString().replaceAll("^[.]+", "");
        return result.isEmpty() ? "release" : result;
    }

    private static ProblemException tooLarge(long limit) {
        return new ProblemException(
                HttpStatus.CONTENT_TOO_LARGE,
                "The release is larger than this product's limit of " + limit + " bytes.");
    }

    private static ProblemException insufficientStorage() {
        return new ProblemException(
                HttpStatus.INSUFFICIENT_STORAGE,
                "The server does not have the disk space to store this release now; try again later or tell its"
                        + " operator.");
    }
}
