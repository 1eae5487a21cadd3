package dev.tollgate.yara;

import java.util.Objects;

/**
 * One place where a rule's string matched.
 *
 * @param identifier the string's identifier with its {@code $}, e.g. {@code $tag}
 * @param offset the byte offset of the match in the scanned data
 * @param length the number of bytes matched
 */
public record YaraStringMatch(String identifier, long offset, int length) {

    public YaraStringMatch {
        Objects.requireNonNull(identifier, "identifier");
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length cannot be negative: " + offset + ", " + length);
        }
    }
}
