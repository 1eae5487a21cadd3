package dev.tollgate.yara;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns literal content indicators (domains, URLs, IP addresses) into YARA rule text, so that libyara's Aho-Corasick
 * automaton finds them in the same pass that runs the user's rules, instead of a second search over every file.
 *
 * <p>Each indicator becomes one text string {@code $i<N>} (N its index in {@link Generated#indicators()}), with the
 * modifiers of {@link Options}; strings are chunked into rules of at most {@link Options#maxStringsPerRule()} strings,
 * each rule {@code intel_<K>} with condition {@code any of them}, all in one namespace. A match names the string;
 * {@link Generated#indicatorsOf(YaraMatch)} maps it back to the indicators.
 *
 * <p>Escaping (YARA text strings accept {@code \"}, {@code \\} and {@code \xNN}): every byte of the indicator's UTF-8
 * form outside printable ASCII, and the quote and backslash, is written as {@code \xNN}, so no input can end the string
 * early or inject rule syntax. Empty indicators and those longer than {@link #MAX_INDICATOR_BYTES} are skipped and
 * listed in {@link Generated#skipped()}; duplicates are compiled once.
 *
 * <p>libyara matches raw bytes: the caller still decides what a hit means (for example, that {@code cdn.example.com}
 * is a subdomain of {@code example.com}); {@code fullword} only ensures a hit is not inside a longer alphanumeric word.
 */
public final class IntelRuleGenerator {

    /** libyara's lexer buffer is 8192 bytes (limits.h {@code YR_LEX_BUF_SIZE}); longer literals cannot compile. */
    public static final int MAX_INDICATOR_BYTES = 4096;

    /** Defaults: ascii and wide, case-insensitive, whole words, 1000 strings per rule. */
    public static final Options DEFAULT_OPTIONS = new Options(true, true, true, true, 1000);

    private static final Pattern STRING_ID = Pattern.compile("\\$i(\\d{1,9})");

    private IntelRuleGenerator() {}

    /**
     * How the strings are matched.
     *
     * @param ascii match the indicator as single-byte text
     * @param wide match it as UTF-16LE (each byte followed by a zero), as Windows binaries store strings
     * @param nocase ignore ASCII case (domains and URL hosts are case-insensitive)
     * @param fullword require a non-alphanumeric byte (or the data's edge) on both sides
     * @param maxStringsPerRule 1 to 10000 (libyara's default per-rule limit)
     */
    public record Options(boolean ascii, boolean wide, boolean nocase, boolean fullword, int maxStringsPerRule) {
        public Options {
            if (!ascii && !wide) {
                throw new IllegalArgumentException("at least one of ascii and wide is needed");
            }
            if (maxStringsPerRule < 1 || maxStringsPerRule > 10_000) {
                throw new IllegalArgumentException("maxStringsPerRule must be within 1..10000: " + maxStringsPerRule);
            }
        }
    }

    /**
     * Generated rule text.
     *
     * @param namespace the namespace to compile {@code source} under
     * @param source YARA rule text; empty when no indicator was usable
     * @param indicators the compiled indicators; {@code $iN} is {@code indicators.get(N)}
     * @param skipped the indicators left out (empty or too long)
     */
    public record Generated(String namespace, String source, List<String> indicators, List<String> skipped) {
        public Generated {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(source, "source");
            indicators = List.copyOf(indicators);
            skipped = List.copyOf(skipped);
        }

        /** The indicators whose strings matched, when {@code match} comes from this namespace. */
        public List<String> indicatorsOf(YaraMatch match) {
            if (!match.namespace().equals(namespace)) {
                return List.of();
            }
            LinkedHashSet<String> hits = new LinkedHashSet<>();
            for (YaraStringMatch s : match.strings()) {
                indicatorOf(s.identifier()).ifPresent(hits::add);
            }
            return List.copyOf(hits);
        }

        /** The indicator behind string identifier {@code $iN}. */
        public Optional<String> indicatorOf(String stringIdentifier) {
            Matcher m = STRING_ID.matcher(stringIdentifier);
            if (!m.matches()) {
                return Optional.empty();
            }
            int n = Integer.parseInt(m.group(1));
            return n < indicators.size() ? Optional.of(indicators.get(n)) : Optional.empty();
        }
    }

    /** Rule text for {@code indicators} under {@code namespace} with {@code options}. */
    public static Generated generate(String namespace, List<String> indicators, Options options) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(options, "options");
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        List<String> skipped = new ArrayList<>();
        for (String indicator : indicators) {
            Objects.requireNonNull(indicator, "indicator");
            int bytes = indicator.getBytes(StandardCharsets.UTF_8).length;
            if (indicator.isEmpty() || bytes > MAX_INDICATOR_BYTES) {
                skipped.add(indicator);
            } else {
                unique.add(indicator);
            }
        }
        List<String> kept = List.copyOf(unique);
        String modifiers = (options.ascii() ? " ascii" : "")
                + (options.wide() ? " wide" : "")
                + (options.nocase() ? " nocase" : "")
                + (options.fullword() ? " fullword" : "");
        StringBuilder out = new StringBuilder(kept.size() * 48);
        for (int start = 0; start < kept.size(); start += options.maxStringsPerRule()) {
            int end = Math.min(kept.size(), start + options.maxStringsPerRule());
            out.append("rule intel_")
                    .append(start / options.maxStringsPerRule())
                    .append("\n{\n");
            out.append("    meta:\n        generator = \"tollgate\"\n");
            out.append("    strings:\n");
            for (int i = start; i < end; i++) {
                out.append("        $i").append(i).append(" = \"");
                escape(kept.get(i), out);
                out.append('"').append(modifiers).append('\n');
            }
            out.append("    condition:\n        any of them\n}\n\n");
        }
        return new Generated(namespace, out.toString(), kept, skipped);
    }

    static void escape(String literal, StringBuilder out) {
        for (byte b : literal.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                out.append((char) c);
            } else {
                out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            }
        }
    }
}
