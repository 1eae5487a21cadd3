package dev.tollgate.yara;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A rule that matched the scanned data.
 *
 * @param rule the rule's identifier
 * @param namespace the namespace it was compiled into (Tollgate uses the rule file's name)
 * @param tags the rule's tags, in declaration order
 * @param meta the rule's metadata in declaration order: values are {@link Long}, {@link String} or {@link Boolean}
 * @param strings where its strings matched, at most {@value YaraRules#MAX_MATCHES_PER_STRING} places per string and
 *     {@value YaraRules#MAX_MATCHES_PER_RULE} per rule
 * @param truncated true when more matches existed than {@code strings} holds
 */
public record YaraMatch(
        String rule,
        String namespace,
        List<String> tags,
        Map<String, Object> meta,
        List<YaraStringMatch> strings,
        boolean truncated) {

    public YaraMatch {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(namespace, "namespace");
        tags = List.copyOf(tags);
        for (Map.Entry<String, Object> e : meta.entrySet()) {
            Object v = Objects.requireNonNull(e.getValue(), "meta value");
            if (!(v instanceof Long || v instanceof String || v instanceof Boolean)) {
                throw new IllegalArgumentException("meta " + e.getKey() + " must be Long, String or Boolean: " + v);
            }
        }
        meta = Collections.unmodifiableMap(new LinkedHashMap<>(meta));
        strings = List.copyOf(strings);
    }
}
