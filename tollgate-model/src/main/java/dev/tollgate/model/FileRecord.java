package dev.tollgate.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a scan learned about one file.
 *
 * @param path the report path ({@code outer!inner} inside containers)
 * @param size bytes
 * @param hashes SHA-256, SHA-1, MD5
 * @param type the type by magic bytes: {@code pe}, {@code elf}, {@code zip}, ... or {@code data}
 * @param entropy Shannon entropy of the whole file in bits per byte, 0 to 8
 * @param signatures every signature found, valid or not
 * @param indicators network indicators found in the file's strings
 * @param pe the PE summary when the file parsed as PE
 * @param referencedFiles file names of executables and libraries its strings mention ({@code d3dcompiler_47.dll}),
 *     lower-case, sorted, bounded; how a release diff sees a file that newly reaches for a sibling
 * @param npmPackages for a container, the npm packages whose {@code package.json} it holds (in an Electron asar, an
 *     npm tarball's {@code package/}, or under {@code node_modules/}), in the order they were found; else empty
 */
public record FileRecord(
        String path,
        long size,
        Hashes hashes,
        FileType type,
        double entropy,
        List<SignatureInfo> signatures,
        NetworkIndicators indicators,
        Optional<PeSummary> pe,
        List<String> referencedFiles,
        List<NpmPackageRecord> npmPackages) {

    public FileRecord {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(hashes, "hashes");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(indicators, "indicators");
        Objects.requireNonNull(pe, "pe");
        if (size < 0) {
            throw new IllegalArgumentException("size cannot be negative: " + size);
        }
        if (entropy < 0 || entropy > 8) {
            throw new IllegalArgumentException("entropy must be within 0..8: " + entropy);
        }
        signatures = List.copyOf(signatures);
        referencedFiles = List.copyOf(referencedFiles);
        npmPackages = List.copyOf(npmPackages);
    }

    /**
     * A record with only the facts every file has: no signatures, no network indicators, no PE summary, no referenced
     * files, no npm packages. Add the others with the {@code with} methods.
     */
    public static FileRecord of(String path, long size, Hashes hashes, FileType type, double entropy) {
        return new FileRecord(
                path,
                size,
                hashes,
                type,
                entropy,
                List.of(),
                NetworkIndicators.NONE,
                Optional.empty(),
                List.of(),
                List.of());
    }

    public FileRecord withPath(String newPath) {
        return new FileRecord(
                newPath, size, hashes, type, entropy, signatures, indicators, pe, referencedFiles, npmPackages);
    }

    public FileRecord withSignatures(List<SignatureInfo> newSignatures) {
        return new FileRecord(
                path, size, hashes, type, entropy, newSignatures, indicators, pe, referencedFiles, npmPackages);
    }

    public FileRecord withIndicators(NetworkIndicators newIndicators) {
        return new FileRecord(
                path, size, hashes, type, entropy, signatures, newIndicators, pe, referencedFiles, npmPackages);
    }

    public FileRecord withPe(PeSummary summary) {
        return new FileRecord(
                path,
                size,
                hashes,
                type,
                entropy,
                signatures,
                indicators,
                Optional.of(summary),
                referencedFiles,
                npmPackages);
    }

    public FileRecord withReferencedFiles(List<String> newReferencedFiles) {
        return new FileRecord(
                path, size, hashes, type, entropy, signatures, indicators, pe, newReferencedFiles, npmPackages);
    }

    public FileRecord withNpmPackages(List<NpmPackageRecord> newNpmPackages) {
        return new FileRecord(
                path, size, hashes, type, entropy, signatures, indicators, pe, referencedFiles, newNpmPackages);
    }
}
