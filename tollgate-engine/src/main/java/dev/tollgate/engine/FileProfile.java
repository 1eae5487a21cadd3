package dev.tollgate.engine;

import dev.tollgate.model.Hashes;
import dev.tollgate.model.NetworkIndicators;
import java.util.List;
import java.util.Objects;

/**
 * What one streaming pass over a file's bytes learns: size, digests, type by magic bytes, entropy and network
 * indicators.
 *
 * @param indicatorsTruncated true when the file held more than {@link IndicatorExtractor#MAX_INDICATORS} indicators and
 *     the rest were dropped
 * @param referencedFiles executable and library names the strings mention, lower-case, sorted
 */
record FileProfile(
        long size,
        Hashes hashes,
        String type,
        double entropy,
        NetworkIndicators indicators,
        boolean indicatorsTruncated,
        List<String> referencedFiles) {

    FileProfile {
        Objects.requireNonNull(hashes, "hashes");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(indicators, "indicators");
        referencedFiles = List.copyOf(referencedFiles);
    }
}
