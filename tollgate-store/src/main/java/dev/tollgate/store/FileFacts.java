package dev.tollgate.store;

import java.util.List;
import java.util.Optional;

/**
 * What a retro-hunt needs about one file of a release: its hashes, its signer, its network indicators.
 *
 * @param signerSerial the outermost signature's signing certificate serial (lower-case hex), when signed
 * @param signerThumbprint that certificate's SHA-256 thumbprint
 */
public record FileFacts(
        String path,
        String sha256,
        String sha1,
        String md5,
        long sizeBytes,
        String type,
        Optional<String> signerSerial,
        Optional<String> signerThumbprint,
        List<Indicator> indicators) {

    public FileFacts {
        indicators = List.copyOf(indicators);
    }

    /** A network indicator found in the file: {@code url}, {@code domain} or {@code ip}. */
    public record Indicator(String type, String value) {}
}
