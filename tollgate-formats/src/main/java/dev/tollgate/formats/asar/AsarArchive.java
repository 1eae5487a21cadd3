package dev.tollgate.formats.asar;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An Electron asar archive (electron/asar, "Format"): a Chromium pickle holding the header's size, a pickle holding
 * the header, a JSON tree of files (each with {@code size}, {@code offset} as a decimal string, and {@code unpacked}
 * for files kept in the sibling {@code app.asar.unpacked/} directory) and links, then the files' bytes.
 */
public final class AsarArchive {

    private static final long MAX_HEADER = 64L << 20;
    private static final int MAX_DEPTH = 256;
    private static final int MAX_NODES = 1_000_000;

    static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH * 2 + 4)
                    .maxStringLength(1 << 20)
                    .maxNumberLength(32)
                    .build())
            .build();

    public enum Kind {
        FILE,
        DIRECTORY,
        LINK
    }

    /**
     * One node of the tree.
     *
     * @param path the path from the archive root, joined with {@code /} (as stored: not normalised)
     * @param offset for a packed file, its offset after the header
     * @param unpacked true for a file stored in {@code app.asar.unpacked/} instead
     * @param link the target of a link
     * @param sha256 the SHA-256 (lower-case hex) that the node's {@code integrity} claims for the file's bytes, when it
     *     gives one (Electron's ASAR integrity, {@code "algorithm": "SHA256"})
     */
    public record Node(
            String path,
            Kind kind,
            long size,
            long offset,
            boolean unpacked,
            Optional<String> link,
            Optional<String> sha256) {
        public Node {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(link, "link");
            Objects.requireNonNull(sha256, "sha256");
        }
    }

    private final ByteView view;
    private final long base;
    private final List<Node> nodes;

    private AsarArchive(ByteView view, long base, List<Node> nodes) {
        this.view = view;
        this.base = base;
        this.nodes = List.copyOf(nodes);
    }

    public static AsarArchive parse(ByteView v) throws FormatException {
        long sizePickle = v.u32(0, "asar size pickle payload");
        if (sizePickle != 4) {
            throw new FormatException(0, "asar size pickle has payload " + sizePickle + ", expected 4");
        }
        long headerSize = v.u32(4, "asar header size");
        long jsonLength = v.u32(12, "asar header string length");
        if (headerSize > MAX_HEADER || jsonLength + 8 > headerSize) {
            throw new FormatException(
                    4,
                    "asar header of " + headerSize + " bytes with a JSON string of " + jsonLength
                            + " bytes is inconsistent or larger than " + MAX_HEADER);
        }
        byte[] json = v.bytes(16, (int) jsonLength, "asar header JSON");
        long base = 8 + headerSize;
        v.require(0, base, "asar header");
        List<Node> nodes = new ArrayList<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new FormatException(16, "asar header is not a JSON object");
            }
            directory(p, "", nodes, 0);
        } catch (IOException e) {
            throw new FormatException(16, "asar header JSON is malformed: " + e.getMessage(), e);
        }
        return new AsarArchive(v, base, nodes);
    }

    /** Reads the members of a directory object, whose {@code files} key holds its children. */
    private static void directory(JsonParser p, String prefix, List<Node> out, int depth)
            throws IOException, FormatException {
        if (depth > MAX_DEPTH) {
            throw new FormatException(16, "asar directories nest deeper than " + MAX_DEPTH);
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            if (key.equals("files") && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if (p.nextToken() != JsonToken.START_OBJECT) {
                        throw new FormatException(16, "asar entry " + prefix + name + " is not an object");
                    }
                    node(p, prefix + name, out, depth + 1);
                }
            } else {
                p.skipChildren();
            }
        }
    }

    /** One node object: a directory ({@code files}), a link ({@code link}) or a file ({@code size}, {@code offset}). */
    private static void node(JsonParser p, String path, List<Node> out, int depth) throws IOException, FormatException {
        if (out.size() >= MAX_NODES) {
            throw new FormatException(16, "asar header lists more than " + MAX_NODES + " entries");
        }
        long size = -1;
        long offset = -1;
        boolean unpacked = false;
        String link = null;
        String sha256 = null;
        boolean isDirectory = false;
        int at = out.size();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            switch (key) {
                case "files" -> {
                    if (value != JsonToken.START_OBJECT) {
                        throw new FormatException(16, "asar entry " + path + " has a 'files' that is not an object");
                    }
                    isDirectory = true;
                    out.add(new Node(path, Kind.DIRECTORY, 0, 0, false, Optional.empty(), Optional.empty()));
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        if (p.nextToken() != JsonToken.START_OBJECT) {
                            throw new FormatException(16, "asar entry " + path + "/" + name + " is not an object");
                        }
                        node(p, path + "/" + name, out, depth + 1);
                    }
                }
                case "size" -> size = value.isNumeric() ? p.getLongValue() : -1;
                case "offset" -> offset = parseOffset(p.getValueAsString(), path);
                case "unpacked" -> unpacked = value == JsonToken.VALUE_TRUE;
                case "link" -> link = p.getValueAsString();
                case "integrity" -> sha256 = integrity(p, value);
                default -> p.skipChildren();
            }
        }
        if (isDirectory) {
            return;
        }
        if (link != null) {
            out.add(at, new Node(path, Kind.LINK, 0, 0, false, Optional.of(link), Optional.empty()));
        } else {
            if (size < 0 || (!unpacked && offset < 0)) {
                throw new FormatException(
                        16, "asar file " + path + " has no valid size (" + size + ") or offset (" + offset + ")");
            }
            out.add(
                    at,
                    new Node(
                            path,
                            Kind.FILE,
                            size,
                            Math.max(offset, 0),
                            unpacked,
                            Optional.empty(),
                            Optional.ofNullable(sha256)));
        }
    }

    /**
     * The SHA-256 of an {@code integrity} object ({@code {"algorithm": "SHA256", "hash": "hex", "blockSize": n,
     * "blocks": [...]}}), or null when it is not one; the parser is left after the object.
     */
    private static String integrity(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String algorithm = null;
        String hash = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (key.equals("algorithm") && v == JsonToken.VALUE_STRING) {
                algorithm = p.getText();
            } else if (key.equals("hash") && v == JsonToken.VALUE_STRING) {
                hash = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return "SHA256".equals(algorithm) && hash != null && hash.matches("[0-9a-fA-F]{64}")
                ? hash.toLowerCase(java.util.Locale.ROOT)
                : null;
    }

    private static long parseOffset(String text, String path) throws FormatException {
        try {
            long value = Long.parseLong(Objects.requireNonNullElse(text, ""));
            if (value < 0) {
                throw new NumberFormatException("negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new FormatException(16, "asar file " + path + " has offset '" + text + "', not a decimal number");
        }
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** The bytes of a packed file: {@code size} bytes at {@code offset} after the header. */
    public ByteView content(Node file) throws FormatException {
        if (file.kind() != Kind.FILE || file.unpacked()) {
            throw new FormatException(0, "asar entry " + file.path() + " has no packed content");
        }
        if (file.offset() > view.size() - base) {
            throw new FormatException(
                    base, "asar file " + file.path() + " starts at " + file.offset() + ", past the end of the archive");
        }
        return view.slice(base + file.offset(), file.size(), "asar file " + file.path());
    }

    /** The header's raw JSON, decoded (for evidence). */
    static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }
}
