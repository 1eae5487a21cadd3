package dev.tollgate.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The server's settings, {@code tollgate.*} (the launcher maps {@code ./tollgate serve}'s options to them).
 *
 * @param data the data directory: H2 database, blob store, key file; default {@code $XDG_DATA_HOME/tollgate}, else
 *     {@code ~/.local/share/tollgate}
 * @param databaseUrl a JDBC URL ({@code jdbc:postgresql://...}); default {@code $TOLLGATE_DATABASE_URL}, else H2 under
 *     {@link #data}
 * @param role {@code api} (HTTP only), {@code worker} (analysis only), {@code all}
 * @param workers analysis threads on this node
 * @param engineThreads files vetted at once on this node, across all its analyses (one shared pool); 0 for one per core
 * @param maxUpload the largest upload any product accepts (the multipart limit)
 * @param defaultMaxRelease a new product's release size limit, unless it names one
 * @param blobReserve free space that uploads leave on the blob store's file system
 * @param lease how long a claimed job stays a worker's without a heartbeat
 * @param poll how long an idle worker waits before looking for work again
 * @param maxAttempts attempts of one analysis before the release fails
 * @param retryBackoff the first retry's delay; each further retry waits twice as long
 * @param shutdownGrace how long a stopping node lets running analyses finish before it releases their leases
 */
@ConfigurationProperties("tollgate")
public record ServerSettings(
        Path data,
        String databaseUrl,
        @DefaultValue("all") String role,
        @DefaultValue("2") int workers,
        @DefaultValue("0") int engineThreads,
        @DefaultValue("8GB") DataSize maxUpload,
        @DefaultValue("2GB") DataSize defaultMaxRelease,
        @DefaultValue("256MB") DataSize blobReserve,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("1s") Duration poll,
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("30s") Duration retryBackoff,
        @DefaultValue("30s") Duration shutdownGrace) {

    public ServerSettings {
        role = role.toLowerCase(Locale.ROOT);
        if (!role.equals("api") && !role.equals("worker") && !role.equals("all")) {
            throw new IllegalArgumentException("tollgate.role must be api, worker or all, not '" + role + "'");
        }
        if (workers < 0 || workers > 256) {
            throw new IllegalArgumentException("tollgate.workers must be within 0..256: " + workers);
        }
        if (engineThreads < 0 || engineThreads > 256) {
            throw new IllegalArgumentException("tollgate.engine-threads must be within 0..256: " + engineThreads);
        }
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw new IllegalArgumentException("tollgate.max-attempts must be within 1..20: " + maxAttempts);
        }
        if (lease.compareTo(Duration.ofSeconds(3)) < 0) {
            throw new IllegalArgumentException("tollgate.lease must be at least 3s: " + lease);
        }
    }

    /** The data directory, the default when none was configured. */
    public Path dataDirectory() {
        if (data != null) {
            return data.toAbsolutePath().normalize();
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("tollgate").toAbsolutePath().normalize();
    }

    /** The database URL configured as {@code tollgate.database-url}, if any. */
    public Optional<String> configuredDatabaseUrl() {
        return Optional.ofNullable(databaseUrl).filter(u -> !u.isBlank());
    }

    public boolean runsWorkers() {
        return !role.equals("api") && workers > 0;
    }

    public boolean servesApi() {
        return !role.equals("worker");
    }

    /**
     * The node's vetting threads, shared by every analysis it runs: the setting, else one per core. A lone analysis
     * then uses every core, and several at once share them instead of each taking a slice.
     */
    public int vettingThreads() {
        return engineThreads > 0 ? engineThreads : Runtime.getRuntime().availableProcessors();
    }
}
