package dev.tollgate.formats.pe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The version resource ({@code RT_VERSION}, a {@code VS_VERSIONINFO} structure; Win32 "Version Information"
 * reference).
 *
 * @param fileVersion {@code VS_FIXEDFILEINFO}'s dwFileVersionMS/LS as {@code a.b.c.d}, absent without fixed info
 * @param productVersion {@code VS_FIXEDFILEINFO}'s dwProductVersionMS/LS as {@code a.b.c.d}
 * @param strings the StringFileInfo strings (FileVersion, ProductVersion, CompanyName, OriginalFilename, ...) in file
 *     order; when several string tables (languages) define a key, the first wins
 */
public record VersionInfo(Optional<String> fileVersion, Optional<String> productVersion, Map<String, String> strings) {

    public VersionInfo {
        Objects.requireNonNull(fileVersion, "fileVersion");
        Objects.requireNonNull(productVersion, "productVersion");
        strings = Collections.unmodifiableMap(new LinkedHashMap<>(strings));
    }

    /** The string for {@code key} (for example {@code "CompanyName"}). */
    public Optional<String> string(String key) {
        return Optional.ofNullable(strings.get(key));
    }
}
