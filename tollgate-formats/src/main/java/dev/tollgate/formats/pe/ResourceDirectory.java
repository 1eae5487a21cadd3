package dev.tollgate.formats.pe;

import dev.tollgate.formats.TruncatedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Walks the resource directory (PE/COFF specification, "The .rsrc Section"): a tree of 16-byte Resource Directory
 * Tables, each followed by 8-byte entries, three levels deep (type, name, language), whose leaves are 16-byte Resource
 * Data Entries. Offsets inside the tree are relative to the start of the resource directory.
 *
 * <p>The walk is bounded: at most {@link PeFile#MAX_RESOURCE_DEPTH} levels, {@link PeFile#MAX_RESOURCE_ENTRIES}
 * entries in all, and each subdirectory visited once, so a directory that points back at itself is reported as a
 * {@link PeAnomaly.Kind#LOOP}, not followed.
 */
final class ResourceDirectory {

    /** RT_VERSION. */
    static final long TYPE_VERSION = 16;

    private static final long SUBDIRECTORY = 0x80000000L;
    private static final int TABLE_SIZE = 16;
    private static final int ENTRY_SIZE = 8;

    /**
     * A resource data entry: where one resource's bytes are.
     *
     * @param type the type ID (level 1), or -1 for a named type
     * @param dataRva the resource's RVA
     * @param size its size
     * @param entryOffset the file offset of the data entry, for anomalies
     */
    record Leaf(long type, long dataRva, long size, long entryOffset) {}

    private record Pending(long offset, int depth, long type) {}

    private ResourceDirectory() {}

    /** The first RT_VERSION leaf, in file order, if the walk finds one. */
    static Optional<Leaf> read(MappedImage image, Optional<DataDirectory> directory) {
        for (Leaf leaf : leaves(image, directory)) {
            if (leaf.type() == TYPE_VERSION) {
                return Optional.of(leaf);
            }
        }
        return Optional.empty();
    }

    /** Every leaf the bounded walk reaches, in depth-first file order. */
    static List<Leaf> leaves(MappedImage image, Optional<DataDirectory> directory) {
        if (directory.isEmpty() || directory.get().virtualAddress() == 0) {
            return List.of();
        }
        long root = directory.get().virtualAddress();
        if (image.offset(root) == AddressMap.UNMAPPED) {
            image.anomalies.add(
                    PeAnomaly.Kind.UNMAPPED_RVA,
                    directory.get().entryOffset(),
                    "resource directory RVA 0x" + Long.toHexString(root) + " is not in the file");
            return List.of();
        }
        List<Leaf> leaves = new ArrayList<>();
        Set<Long> visited = new HashSet<>();
        Deque<Pending> stack = new ArrayDeque<>();
        stack.push(new Pending(0, 0, -1));
        visited.add(0L);
        int entriesRead = 0;
        while (!stack.isEmpty()) {
            Pending dir = stack.pop();
            long at = image.offset(root + dir.offset());
            if (at == AddressMap.UNMAPPED) {
                image.anomalies.add(
                        PeAnomaly.Kind.UNMAPPED_RVA,
                        image.offset(root),
                        "resource directory table at +0x" + Long.toHexString(dir.offset()) + " is not in the file");
                continue;
            }
            int count;
            try {
                image.data.require(at, TABLE_SIZE, "resource directory table");
                count = image.data.u16(at + 12, "NumberOfNameEntries") + image.data.u16(at + 14, "NumberOfIdEntries");
            } catch (TruncatedException e) {
                image.anomalies.add(PeAnomaly.Kind.TRUNCATED, at, "resource directory: " + e.getMessage());
                continue;
            }
            List<Pending> children = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long entryAt = at + TABLE_SIZE + (long) ENTRY_SIZE * i;
                if (entriesRead++ >= PeFile.MAX_RESOURCE_ENTRIES) {
                    image.anomalies.add(
                            PeAnomaly.Kind.LIMIT,
                            entryAt,
                            "more than " + PeFile.MAX_RESOURCE_ENTRIES + " resource entries; the rest are not read");
                    return leaves;
                }
                long name;
                long target;
                try {
                    name = image.data.u32(entryAt, "resource entry Name");
                    target = image.data.u32(entryAt + 4, "resource entry OffsetToData");
                } catch (TruncatedException e) {
                    image.anomalies.add(PeAnomaly.Kind.TRUNCATED, entryAt, "resource entry: " + e.getMessage());
                    break;
                }
                long type = dir.depth() == 0 ? ((name & SUBDIRECTORY) != 0 ? -1 : name) : dir.type();
                if ((target & SUBDIRECTORY) != 0) {
                    long sub = target & ~SUBDIRECTORY;
                    if (dir.depth() + 1 >= PeFile.MAX_RESOURCE_DEPTH) {
                        image.anomalies.add(
                                PeAnomaly.Kind.RESOURCE,
                                entryAt,
                                "resource directory nested deeper than " + PeFile.MAX_RESOURCE_DEPTH + " levels");
                    } else if (!visited.add(sub)) {
                        image.anomalies.add(
                                PeAnomaly.Kind.LOOP,
                                entryAt,
                                "resource subdirectory +0x" + Long.toHexString(sub) + " is reached twice");
                    } else {
                        children.add(new Pending(sub, dir.depth() + 1, type));
                    }
                } else {
                    Leaf leaf = leaf(image, root, target, entryAt, type);
                    if (leaf != null) {
                        leaves.add(leaf);
                    }
                }
            }
            // Pushed in reverse so that the first entry is walked first.
            for (int i = children.size() - 1; i >= 0; i--) {
                stack.push(children.get(i));
            }
        }
        return leaves;
    }

    /** The data entry at {@code target}; null (with an anomaly) when it is not in the file. */
    private static Leaf leaf(MappedImage image, long root, long target, long entryAt, long type) {
        long at = image.offset(root + target);
        if (at == AddressMap.UNMAPPED) {
            image.anomalies.add(
                    PeAnomaly.Kind.UNMAPPED_RVA,
                    entryAt,
                    "resource data entry at +0x" + Long.toHexString(target) + " is not in the file");
            return null;
        }
        try {
            image.data.require(at, 16, "resource data entry");
            return new Leaf(type, image.data.u32(at, "resource OffsetToData"), image.data.u32(at + 4, "Size"), at);
        } catch (TruncatedException e) {
            image.anomalies.add(PeAnomaly.Kind.TRUNCATED, at, "resource data entry: " + e.getMessage());
            return null;
        }
    }
}
