package dev.tollgate.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** The digests threat feeds use, lower-case hex. */
public record Hashes(String sha256, String sha1, String md5) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

    public Hashes {
        requireHex(sha256, 64, "sha256");
        requireHex(sha1, 40, "sha1");
        requireHex(md5, 32, "md5");
    }

    private static void requireHex(String value, int length, String name) {
        Objects.requireNonNull(value, name);
        if (value.length() != length || !HEX.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must be " + length + " lower-case hex digits: " + value);
        }
    }
}
