package dev.tollgate.server;

import dev.tollgate.store.Ids;
import dev.tollgate.store.IntelFeedRow;
import dev.tollgate.store.IntelRepository;
import dev.tollgate.store.JobQueue;
import dev.tollgate.store.Page;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Intel feeds imported over HTTP: read with the intel module, each indicator stored once, then a retro-hunt queued
 * for the new ones ({@link RetroHunt}). A feed that cannot be read changes nothing.
 */
@Service
final class Intel {

    private static final Logger LOG = LoggerFactory.getLogger(Intel.class);

    /** Opens an uploaded file; a lambda so that the service holds no HTTP type. */
    interface Upload {
        InputStream open() throws IOException;
    }

    private final IntelRepository intel;
    private final IntelFeedReader reader;
    private final JobQueue queue;
    private final Audit audit;
    private final ServerSettings settings;
    private final TransactionTemplate transaction;
    private final Clock clock;

    Intel(
            IntelRepository intel,
            IntelFeedReader reader,
            JobQueue queue,
            Audit audit,
            ServerSettings settings,
            TransactionTemplate transaction,
            Clock clock) {
        this.intel = intel;
        this.reader = reader;
        this.queue = queue;
        this.audit = audit;
        this.settings = settings;
        this.transaction = transaction;
        this.clock = clock;
    }

    IntelFeedRow importFeed(Caller caller, String fileName, long size, Upload upload) {
        String name = Validation.text(
                fileName == null || fileName.isBlank() ? "feed" : fileName.replaceAll("[/\\\\]", "_"),
                "file name",
                200);
        if (size > IntelFeedReader.MAX_FEED_BYTES) {
            throw tooLarge();
        }
        Path temporary = null;
        try {
            Path directory = Files.createDirectories(settings.dataDirectory().resolve("tmp"));
            temporary = Files.createTempFile(directory, "feed-", suffix(name));
            String sha256 = copy(upload, temporary);
            Instant now = clock.instant();
            IntelFeedReader.Read read;
            try {
                read = reader.read(temporary, name, now);
            } catch (IntelFeedReader.NotAFeed e) {
                throw ProblemException.badRequest("The file is not an intel feed Tollgate reads (STIX 2.1 bundle, MISP"
                        + " event, CSV or TSV list): " + e.getMessage());
            }
            IntelFeedReader.Read feed = read;
            IntelFeedRow row = transaction.execute(status -> {
                String id = Ids.next();
                intel.insertFeed(new IntelFeedRow(id, name, feed.format(), sha256, 0, 0, 0, caller.actor(), now));
                int loaded = intel.insertIndicators(id, feed.indicators(), now);
                int duplicates = feed.indicators().size() - loaded;
                intel.updateCounts(id, loaded, (int) Math.min(Integer.MAX_VALUE, feed.skipped()), duplicates);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("name", name);
                details.put("format", feed.format());
                details.put("sha256", sha256);
                details.put("loaded", loaded);
                details.put("skipped", feed.skipped());
                details.put("alreadyKnown", duplicates);
                audit.record(caller.actor(), "intel.imported", "intel-feed:" + id, details);
                if (loaded > 0) {
                    queue.enqueue(RetroHunt.FEED_KIND, id, settings.maxAttempts());
                }
                return intel.findFeed(id).orElseThrow();
            });
            LOG.info(
                    "intel feed {} ({}, {}): {} new indicators, {} already known, {} skipped",
                    row.id(),
                    name,
                    feed.format(),
                    row.loaded(),
                    row.duplicates(),
                    row.skipped());
            return row;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    LOG.warn("cannot delete a temporary feed file: {}", e.getMessage());
                }
            }
        }
    }

    Page<IntelFeedRow> feeds(Optional<String> before, int limit) {
        return intel.feeds(before, limit);
    }

    /** Copies at most the limit, hashing as it goes; over the limit is a 413 whatever the declared size said. */
    private static String copy(Upload upload, Path target) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = upload.open();
                OutputStream out = new DigestOutputStream(Files.newOutputStream(target), sha256)) {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > IntelFeedReader.MAX_FEED_BYTES) {
                    throw tooLarge();
                }
                out.write(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Keeps the extension the intel module's detection looks at (.json, .csv, .tsv). */
    private static String suffix(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        for (String extension : new String[] {".json", ".csv", ".tsv"}) {
            if (lower.endsWith(extension)) {
                return extension;
            }
        }
        return ".feed";
    }

    private static ProblemException tooLarge() {
        return new ProblemException(
                HttpStatus.CONTENT_TOO_LARGE,
                "The feed is larger than " + (IntelFeedReader.MAX_FEED_BYTES >> 20) + " MiB, the most accepted here.");
    }
}
