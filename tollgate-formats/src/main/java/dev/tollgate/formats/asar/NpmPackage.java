package dev.tollgate.formats.asar;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tollgate.formats.ByteView;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * An npm package found in an application (a {@code package.json} with a name and a version), recorded for the SBOM.
 * A name longer than npm allows (214), a version longer than 256 characters, or either with control characters, is
 * not a package: nothing is recorded.
 *
 * @param path where the package.json was found, inside its container
 */
public record NpmPackage(String name, String version, String path) {

    private static final long MAX_PACKAGE_JSON = 4L << 20;

    /** npm refuses longer names ({@code validate-npm-package-name}); a version is a short semver string. */
    static final int MAX_NAME = 214;

    static final int MAX_VERSION = 256;

    public NpmPackage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(path, "path");
    }

    /** True for a path whose last segment is {@code package.json}. */
    public static boolean isPackageJson(String path) {
        return path.equals("package.json") || path.endsWith("/package.json");
    }

    /**
     * Whether the {@code package.json} at {@code path} (normalised, inside its container) describes an npm package:
     * in an Electron app archive every one does ({@code anywhere}); in other containers only the root one, the one of
     * an npm tarball ({@code package/package.json}) and those of installed packages under {@code node_modules/}, so
     * that a test fixture or a template deep in a source tree is not taken for a dependency.
     */
    public static boolean isPackageManifest(String path, boolean anywhere) {
        if (!isPackageJson(path)) {
            return false;
        }
        return anywhere
                || path.equals("package.json")
                || path.equals("package/package.json")
                || installed(path.split("/", -1));
    }

    /** {@code node_modules/NAME/package.json} or {@code node_modules/@SCOPE/NAME/package.json}, at any depth. */
    private static boolean installed(String[] segments) {
        int n = segments.length;
        if (n < 3 || segments[n - 2].isEmpty() || segments[n - 2].startsWith("@")) {
            return false;
        }
        if (segments[n - 3].equals("node_modules")) {
            return true;
        }
        return n >= 4
                && segments[n - 3].startsWith("@")
                && segments[n - 3].length() > 1
                && segments[n - 4].equals("node_modules");
    }

    /** The top-level {@code name} and {@code version} of a package.json, or empty when either is missing or bad. */
    public static Optional<NpmPackage> read(String path, ByteView json) {
        if (json.size() > MAX_PACKAGE_JSON) {
            return Optional.empty();
        }
        String name = null;
        String version = null;
        try (JsonParser p = AsarArchive.JSON.createParser(json.toArray())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                if (key.equals("name") && value == JsonToken.VALUE_STRING) {
                    name = p.getText();
                } else if (key.equals("version") && value == JsonToken.VALUE_STRING) {
                    version = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return plausible(name, MAX_NAME) && plausible(version, MAX_VERSION)
                ? Optional.of(new NpmPackage(name, version, path))
                : Optional.empty();
    }

    /** Present, not blank, bounded and printable: a hostile package.json cannot put a megabyte or an escape code in. */
    private static boolean plausible(String value, int max) {
        return value != null
                && !value.isBlank()
                && value.length() <= max
                && value.chars().noneMatch(c -> Character.isISOControl(c) || c == 0x7F);
    }
}
