package dev.tollgate.formats.pe;

import java.util.Optional;

/** Parses a VS_VERSIONINFO structure. */
final class VersionResource {

    private VersionResource() {}

    static Optional<VersionInfo> read(MappedImage image, ResourceDirectory.Leaf leaf) {
        return Optional.empty();
    }
}
