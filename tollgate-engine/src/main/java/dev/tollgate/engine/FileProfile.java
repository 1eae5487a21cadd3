package dev.tollgate.engine;

import dev.tollgate.formats.pe.ByteRange;
import dev.tollgate.model.FileType;
import dev.tollgate.model.Hashes;
import dev.tollgate.model.NetworkIndicators;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one streaming pass over a file's bytes learns: size, digests, type by magic bytes, entropy and network
 * indicators.
 *
 * @param indicatorsTruncated true when the file held more than {@link IndicatorExtractor#MAX_INDICATORS} indicators and
 *     the rest were dropped
 * @param referencedFiles executable and library names the strings mention, lower-case, sorted
 * @param regionEntropy the entropy of the regions the pass was asked to measure (a PE file's section data)
 */
record FileProfile(
        long size,
        Hashes hashes,
        FileType type,
        double entropy,
        NetworkIndicators indicators,
        boolean indicatorsTruncated,
        List<String> referencedFiles,
        Map<ByteRange, Double> regionEntropy) {

    FileProfile {
        Objects.requireNonNull(hashes, "hashes");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(indicators, "indicators");
        referencedFiles = List.copyOf(referencedFiles);
        regionEntropy = Map.copyOf(regionEntropy);
    }
}
