package dev.tollgate.server;

import dev.tollgate.store.BlobStore;
import java.io.IOException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health beyond the database's (which Spring Boot reports): the blob store's free space, and this node's workers.
 * Details are shown to authenticated callers only ({@code management.endpoint.health.show-details}).
 */
@Configuration
class HealthIndicators {

    @Bean
    HealthIndicator blobStoreHealthIndicator(BlobStore blobs, ServerSettings settings) {
        return () -> {
            try {
                long available = blobs.availableBytes();
                return Health.up()
                        .withDetail("availableBytes", available)
                        .withDetail("reserveBytes", settings.blobReserve().toBytes())
                        .withDetail("acceptsUploads", available > 0)
                        .build();
            } catch (IOException e) {
                return Health.down()
                        .withDetail("error", "cannot read the blob store's free space")
                        .build();
            }
        };
    }

    @Bean
    HealthIndicator workersHealthIndicator(AnalysisWorkers workers, ServerSettings settings) {
        return () -> Health.up()
                .withDetail("role", settings.role())
                .withDetail("node", workers.node())
                .withDetail("threads", workers.threads())
                .withDetail("busy", workers.busy())
                .build();
    }
}
