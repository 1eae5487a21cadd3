package dev.tollgate.formats.asar;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tollgate.formats.ByteView;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * An npm package found in an application (a {@code package.json} with a name and a version), recorded for the SBOM.
 *
 * @param path where the package.json was found, inside its container
 */
public record NpmPackage(String name, String version, String path) {

    private static final long MAX_PACKAGE_JSON = 4L << 20;

    public NpmPackage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(path, "path");
    }

    /** True for a path whose last segment is {@code package.json}. */
    public static boolean isPackageJson(String path) {
        return path.equals("package.json") || path.endsWith("/package.json");
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
        return name == null || version == null || name.isBlank()
                ? Optional.empty()
                : Optional.of(new NpmPackage(name, version, path));
    }
}
