package dev.tollgate.engine;

import dev.tollgate.model.Hashes;
import dev.tollgate.model.NetworkIndicators;
import java.util.Objects;

/**
 * What one streaming pass over a file's bytes learns: size, digests, type by magic bytes, entropy and network
 * indicators.
 *
 * @param indicatorsTruncated true when the file held more than {@link IndicatorExtractor#MAX_INDICATORS} indicators and
 *     the rest were dropped
 */
record FileProfile(
        long size,
        Hashes hashes,
        String type,
        double entropy,
        NetworkIndicators indicators,
        boolean indicatorsTruncated) {

    FileProfile {
        Objects.requireNonNull(hashes, "hashes");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(indicators, "indicators");
    }
}
