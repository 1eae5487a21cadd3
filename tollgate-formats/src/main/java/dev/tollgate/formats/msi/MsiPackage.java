package dev.tollgate.formats.msi;

import dev.tollgate.formats.ByteView;
import dev.tollgate.formats.FormatException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Windows Installer package: what it installs where, the cabinets that carry the files, the custom actions it
 * runs, and its Authenticode signature streams. Tables read: {@code File}, {@code Component}, {@code Directory},
 * {@code Media}, {@code CustomAction} (Windows Installer SDK, "Database Tables").
 */
public final class MsiPackage {

    /** The stream holding the package's Authenticode PKCS#7 SignedData. */
    public static final String DIGITAL_SIGNATURE = "\u0005DigitalSignature";

    /** The stream holding the pre-hash of the package's metadata, present when the signature covers it. */
    public static final String DIGITAL_SIGNATURE_EX = "\u0005MsiDigitalSignatureEx";

    private static final long MAX_SIGNATURE = 1L << 20;
    private static final int MAX_DIRECTORY_DEPTH = 64;

    /**
     * A file the package installs.
     *
     * @param key the File table key: the name under which the cabinet stores the file
     * @param installPath where it is installed: the Directory tree from a root folder property (for example
     *     {@code ProgramFilesFolder/Vendor/App/app.dll})
     */
    public record InstalledFile(String key, String installPath, long size, int sequence) {}

    /**
     * A cabinet the package carries.
     *
     * @param stream the stream name inside the package (Media.Cabinet without its leading {@code #})
     * @param embedded false for a cabinet shipped beside the package (not vetted from here)
     */
    public record Cabinet(String stream, boolean embedded, int lastSequence) {}

    /**
     * A custom action ({@code CustomAction} table).
     *
     * @param type the full type number ({@code msidbCustomActionType*} bits)
     * @param runsCode true for actions that run a DLL, an EXE or a script
     * @param description what it runs, from where: "DLL from the Binary table", "VBScript text in Target", ...
     */
    public record CustomAction(
            String action, int type, String source, String target, boolean runsCode, String description) {}

    /** A stream that is neither a table, a cabinet nor a signature: Binary and Icon table data, and the like. */
    public record Stream(String name, long size) {}

    private final CompoundFile cfb;
    private final MsiDatabase db;
    private final List<InstalledFile> files;
    private final List<Cabinet> cabinets;
    private final List<CustomAction> customActions;

    private MsiPackage(
            CompoundFile cfb,
            MsiDatabase db,
            List<InstalledFile> files,
            List<Cabinet> cabinets,
            List<CustomAction> customActions) {
        this.cfb = cfb;
        this.db = db;
        this.files = List.copyOf(files);
        this.cabinets = List.copyOf(cabinets);
        this.customActions = List.copyOf(customActions);
    }

    public static MsiPackage parse(ByteView v) throws FormatException {
        CompoundFile cfb = CompoundFile.parse(v);
        MsiDatabase db = MsiDatabase.open(cfb);
        Map<String, String> directories = directories(db);
        Map<String, String> componentDirectory = new HashMap<>();
        Optional<MsiDatabase.Table> component = db.table("Component");
        if (component.isPresent()) {
            for (List<Object> row : component.get().rows()) {
                componentDirectory.put(
                        component.get().string(row, "Component"),
                        component.get().string(row, "Directory_"));
            }
        }
        List<InstalledFile> files = new ArrayList<>();
        Optional<MsiDatabase.Table> file = db.table("File");
        if (file.isPresent()) {
            MsiDatabase.Table t = file.get();
            for (List<Object> row : t.rows()) {
                String key = t.string(row, "File");
                String dir =
                        directories.getOrDefault(componentDirectory.getOrDefault(t.string(row, "Component_"), ""), "");
                String name = longName(t.string(row, "FileName"));
                files.add(new InstalledFile(
                        key,
                        dir.isEmpty() ? name : dir + "/" + name,
                        Integer.toUnsignedLong(t.integer(row, "FileSize").orElse(0)),
                        t.integer(row, "Sequence").orElse(0)));
            }
        }
        List<Cabinet> cabinets = new ArrayList<>();
        Optional<MsiDatabase.Table> media = db.table("Media");
        if (media.isPresent()) {
            for (List<Object> row : media.get().rows()) {
                String cabinet = media.get().string(row, "Cabinet");
                if (!cabinet.isEmpty()) {
                    boolean embedded = cabinet.startsWith("#");
                    cabinets.add(new Cabinet(
                            embedded ? cabinet.substring(1) : cabinet,
                            embedded,
                            media.get().integer(row, "LastSequence").orElse(0)));
                }
            }
        }
        List<CustomAction> actions = new ArrayList<>();
        Optional<MsiDatabase.Table> ca = db.table("CustomAction");
        if (ca.isPresent()) {
            for (List<Object> row : ca.get().rows()) {
                int type = ca.get().integer(row, "Type").orElse(0);
                actions.add(customAction(
                        ca.get().string(row, "Action"),
                        type,
                        ca.get().string(row, "Source"),
                        ca.get().string(row, "Target")));
            }
        }
        return new MsiPackage(cfb, db, files, cabinets, actions);
    }

    /**
     * The bytes after the compound file's structure ({@link CompoundFile#structureEnd()}), which no stream holds and
     * no signature covers; empty when there are none.
     */
    public Optional<ByteView> appendedData() throws FormatException {
        long end = cfb.structureEnd();
        ByteView v = cfb.view();
        return end >= v.size() ? Optional.empty() : Optional.of(v.slice(end, v.size() - end, "MSI appended data"));
    }

    public List<InstalledFile> files() {
        return files;
    }

    public List<Cabinet> cabinets() {
        return cabinets;
    }

    public List<CustomAction> customActions() {
        return customActions;
    }

    /** The install path of each file, by File key (the name its cabinet stores it under). */
    public Map<String, String> installPaths() {
        Map<String, String> out = new HashMap<>();
        for (InstalledFile f : files) {
            out.putIfAbsent(f.key(), f.installPath());
        }
        return Map.copyOf(out);
    }

    /** The bytes of an embedded cabinet, bounded by {@code max}. */
    public byte[] cabinet(Cabinet cabinet, long max) throws FormatException {
        return stream(cabinet.stream(), max)
                .orElseThrow(() -> new FormatException(
                        0,
                        "MSI Media table names cabinet stream '" + cabinet.stream()
                                + "', which the package does not contain"));
    }

    /** Streams that are not tables, cabinets or signature/summary streams: Binary and Icon table data and others. */
    public List<Stream> otherStreams() {
        List<String> cabs = cabinets.stream().map(Cabinet::stream).toList();
        return db.streams().entrySet().stream()
                .filter(e -> !e.getKey().startsWith("!") && !cabs.contains(e.getKey()))
                .filter(e -> !e.getKey().isEmpty() && e.getKey().charAt(0) >= 0x20)
                .map(e -> new Stream(e.getKey(), e.getValue().size()))
                .sorted(Comparator.comparing(Stream::name))
                .toList();
    }

    /** A root stream by decoded name, bounded by {@code max}. */
    public Optional<byte[]> stream(String name, long max) throws FormatException {
        CompoundFile.Node node = db.streams().get(name);
        return node == null ? Optional.empty() : Optional.of(cfb.read(node, max));
    }

    /**
     * A root stream by decoded name as an input stream that reads the file's sectors as it goes: never held whole in
     * memory, whatever its size. Chain errors surface as {@link java.io.IOException}s caused by a
     * {@link FormatException}.
     */
    public Optional<InputStream> openStream(String name, long max) throws FormatException {
        CompoundFile.Node node = db.streams().get(name);
        return node == null ? Optional.empty() : Optional.of(cfb.open(node, max));
    }

    /** The declared size of a root stream, or -1 when there is none by that name. */
    public long streamSize(String name) {
        CompoundFile.Node node = db.streams().get(name);
        return node == null ? -1 : node.size();
    }

    /** An embedded cabinet as a stream, bounded by {@code max}; see {@link #openStream}. */
    public InputStream openCabinet(Cabinet cabinet, long max) throws FormatException {
        return openStream(cabinet.stream(), max)
                .orElseThrow(() -> new FormatException(
                        0,
                        "MSI Media table names cabinet stream '" + cabinet.stream()
                                + "', which the package does not contain"));
    }

    /** The PKCS#7 SignedData of the package's Authenticode signature. */
    public Optional<byte[]> digitalSignature() throws FormatException {
        return stream(DIGITAL_SIGNATURE, MAX_SIGNATURE);
    }

    /** The {@code MsiDigitalSignatureEx} stream: the pre-hash of the metadata, when the signature covers it. */
    public Optional<byte[]> digitalSignatureEx() throws FormatException {
        return stream(DIGITAL_SIGNATURE_EX, MAX_SIGNATURE);
    }

    /**
     * The digest an MSI Authenticode signature signs (the message digest of its SpcIndirectDataContent): the content
     * of every stream, storages recursively, children sorted by their raw UTF-16LE names, each storage followed by its
     * CLSID, leaving out the two signature streams. When {@code withMetadata} (the signature has
     * {@code MsiDigitalSignatureEx}), the pre-hash of the metadata ({@link #metadataPreHash}) is hashed first.
     *
     * @param algorithm a JCA digest name such as {@code SHA-256}
     */
    public byte[] authenticodeDigest(String algorithm, boolean withMetadata) throws FormatException {
        return authenticodeDigest(digest(algorithm), withMetadata);
    }

    /** As {@link #authenticodeDigest(String, boolean)}, into {@code md} (the algorithm a signature names). */
    public byte[] authenticodeDigest(MessageDigest md, boolean withMetadata) throws FormatException {
        md.reset();
        if (withMetadata) {
            md.update(metadataPreHash(md.getAlgorithm()));
        }
        hashContent(cfb.root(), md, true, 0);
        return md.digest();
    }

    /**
     * The pre-hash stored in {@code MsiDigitalSignatureEx}: each entry's name (not the root's), CLSID for storages or
     * the low 32 bits of the size for streams, state bits, and times (not the root's), in the same order as the
     * content.
     */
    public byte[] metadataPreHash(String algorithm) throws FormatException {
        MessageDigest md = digest(algorithm);
        preHash(cfb.root(), md, true, 0);
        return md.digest();
    }

    private void hashContent(CompoundFile.Node storage, MessageDigest md, boolean root, int depth)
            throws FormatException {
        if (depth > MAX_DIRECTORY_DEPTH) {
            throw new FormatException(0, "MSI storages nest deeper than " + MAX_DIRECTORY_DEPTH);
        }
        List<CompoundFile.Node> children = new ArrayList<>(cfb.children(storage));
        children.sort(MsiPackage::compareRawNames);
        for (CompoundFile.Node child : children) {
            if (root && isSignatureStream(child)) {
                continue;
            }
            if (child.type() == CompoundFile.STREAM) {
                hashStream(child, md);
            } else if (child.type() == CompoundFile.STORAGE) {
                hashContent(child, md, false, depth + 1);
            }
        }
        md.update(storage.clsid());
    }

    /** Streams are hashed as they are read: a stream may be larger than any array. */
    private void hashStream(CompoundFile.Node stream, MessageDigest md) throws FormatException {
        try (InputStream in = cfb.open(stream, Long.MAX_VALUE)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                md.update(buffer, 0, n);
            }
        } catch (IOException e) {
            if (e.getCause() instanceof FormatException f) {
                throw f;
            }
            throw new FormatException(0, "stream " + stream.name() + " cannot be read: " + e.getMessage(), e);
        }
    }

    private void preHash(CompoundFile.Node storage, MessageDigest md, boolean root, int depth) throws FormatException {
        if (depth > MAX_DIRECTORY_DEPTH) {
            throw new FormatException(0, "MSI storages nest deeper than " + MAX_DIRECTORY_DEPTH);
        }
        metadata(storage, md);
        List<CompoundFile.Node> children = new ArrayList<>(cfb.children(storage));
        children.sort(MsiPackage::compareRawNames);
        for (CompoundFile.Node child : children) {
            if (root && isSignatureStream(child)) {
                continue;
            }
            if (child.type() == CompoundFile.STREAM) {
                metadata(child, md);
            } else if (child.type() == CompoundFile.STORAGE) {
                preHash(child, md, false, depth + 1);
            }
        }
    }

    private static void metadata(CompoundFile.Node n, MessageDigest md) {
        byte[] m = n.metadata();
        if (n.type() != CompoundFile.ROOT) {
            md.update(n.rawName());
        }
        if (n.type() == CompoundFile.STREAM) {
            md.update(m, 0x78, 4);
        } else {
            md.update(m, 0x50, 16);
        }
        md.update(m, 0x60, 4);
        if (n.type() != CompoundFile.ROOT) {
            md.update(m, 0x64, 16);
        }
    }

    private static boolean isSignatureStream(CompoundFile.Node n) {
        return n.name().equals(DIGITAL_SIGNATURE) || n.name().equals(DIGITAL_SIGNATURE_EX);
    }

    /**
     * The order the MSI signature hashes streams in: a byte-wise comparison of the UTF-16LE names, and when one name
     * is a prefix of the other, the longer one first (as osslsigncode and signtool agree).
     */
    static int compareRawNames(CompoundFile.Node a, CompoundFile.Node b) {
        byte[] x = a.rawName();
        byte[] y = b.rawName();
        int common = Math.min(x.length, y.length);
        int diff = Arrays.compareUnsigned(x, 0, common, y, 0, common);
        return diff != 0 ? diff : Integer.compare(y.length, x.length);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(Objects.requireNonNull(algorithm, "algorithm"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown digest algorithm: " + algorithm, e);
        }
    }

    /** Directory key to install path, resolving {@code Directory_Parent} links with a depth bound. */
    private static Map<String, String> directories(MsiDatabase db) throws FormatException {
        Optional<MsiDatabase.Table> table = db.table("Directory");
        if (table.isEmpty()) {
            return Map.of();
        }
        MsiDatabase.Table t = table.get();
        Map<String, String> parent = new HashMap<>();
        Map<String, String> name = new HashMap<>();
        for (List<Object> row : t.rows()) {
            String key = t.string(row, "Directory");
            parent.put(key, t.string(row, "Directory_Parent"));
            name.put(key, directoryName(key, t.string(row, "DefaultDir")));
        }
        Map<String, String> paths = new HashMap<>();
        for (String key : parent.keySet()) {
            paths.put(key, directoryPath(key, parent, name, 0));
        }
        return paths;
    }

    /**
     * The root (TARGETDIR, no parent) is empty; its children are folder properties such as {@code ProgramFilesFolder}
     * whose key says where they go better than their DefaultDir; below them, the long names of DefaultDir.
     */
    private static String directoryPath(String key, Map<String, String> parent, Map<String, String> name, int depth) {
        String p = parent.getOrDefault(key, "");
        if (p.isEmpty() || p.equals(key) || depth > MAX_DIRECTORY_DEPTH) {
            return "";
        }
        String up = directoryPath(p, parent, name, depth + 1);
        boolean underRoot =
                parent.getOrDefault(p, "").isEmpty() || parent.get(p).equals(p);
        String own = underRoot ? key : name.getOrDefault(key, key);
        if (own.equals(".")) {
            return up;
        }
        return up.isEmpty() ? own : up + "/" + own;
    }

    /** The target part of DefaultDir ({@code target:source}), long name of {@code short|long}. */
    private static String directoryName(String key, String defaultDir) {
        String target = defaultDir.contains(":") ? defaultDir.substring(0, defaultDir.indexOf(':')) : defaultDir;
        String name = longName(target);
        return name.isEmpty() ? key : name;
    }

    /** The long name of {@code short|long}, or the name itself. */
    static String longName(String fileName) {
        int bar = fileName.indexOf('|');
        return bar < 0 ? fileName : fileName.substring(bar + 1);
    }

    private static CustomAction customAction(String action, int type, String source, String target) {
        int kind = type & 0x07;
        int location = type & 0x30;
        String what =
                switch (kind) {
                    case 1 -> "DLL";
                    case 2 -> "EXE";
                    case 5 -> "JScript";
                    case 6 -> "VBScript";
                    default -> "";
                };
        boolean runs = !what.isEmpty();
        String from =
                switch (location) {
                    case 0x00 -> kind == 5 || kind == 6 ? "script from the Binary table" : "from the Binary table";
                    case 0x10 -> "from an installed file";
                    case 0x20 -> kind == 5 || kind == 6 ? "script text in Target" : "command line in a directory";
                    default -> kind == 5 || kind == 6 ? "script text in a property" : "named by a property";
                };
        String description = runs ? what + " " + from : "type " + type + " (sets a property or directory, or nests)";
        return new CustomAction(action, type, source, target, runs, description);
    }
}
