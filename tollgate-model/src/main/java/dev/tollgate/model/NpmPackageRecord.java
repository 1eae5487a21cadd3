package dev.tollgate.model;

import java.util.Objects;

/**
 * An npm package found inside a container: the {@code name} and {@code version} of a {@code package.json}, for the
 * SBOM and for finding a known-bad package version in an Electron app.
 *
 * @param path the report path of the {@code package.json} ({@code outer!inner})
 */
public record NpmPackageRecord(String name, String version, String path) {

    public NpmPackageRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(path, "path");
    }
}
