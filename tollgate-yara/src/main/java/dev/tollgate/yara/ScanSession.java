package dev.tollgate.yara;

import static java.lang.foreign.ValueLayout.ADDRESS_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one {@code yr_rules_scan_mem} call reported through its callback. libyara calls back on the scanning thread,
 * so the session is found through a thread-local rather than a pointer in {@code user_data}: one upcall stub then
 * serves every scan.
 *
 * <p>Reads use unaligned layouts: libyara allocates YR_MATCH records from its notebook allocator, which packs them
 * without regard to alignment (a match at an odd address was seen in testing).
 *
 * <p>The callback must never throw into native code (the JVM would abort): every failure is caught, kept, and turned
 * into {@code CALLBACK_ERROR}, which makes libyara stop and return {@code ERROR_CALLBACK_ERROR}.
 */
// Restricted FFM calls are this module's purpose; the launcher and tests grant --enable-native-access.
@SuppressWarnings("restricted")
final class ScanSession {

    private static final ThreadLocal<ScanSession> CURRENT = new ThreadLocal<>();

    private static final int MAX_IDENTIFIER = 4096;
    private static final int MAX_META_STRING = 64 * 1024;
    private static final int MAX_TAGS = 1024;
    // libyara's own ceiling (DEFAULT_MAX_STRINGS_PER_RULE); a walk longer than this means a layout mismatch.
    private static final int MAX_STRINGS_PER_RULE = 10_000;
    private static final int MAX_METAS_PER_RULE = 10_000;

    final List<YaraMatch> matches = new ArrayList<>();
    // Addresses of the YR_STRINGs whose matches libyara stopped recording (YR_MAX_STRING_MATCHES).
    final Set<Long> tooManyMatches = new HashSet<>();
    Throwable failure;

    /** Runs {@code scan} with this session receiving the callbacks of the current thread. */
    int run(NativeScan scan) throws Throwable {
        CURRENT.set(this);
        try {
            return scan.run();
        } finally {
            CURRENT.remove();
        }
    }

    @FunctionalInterface
    interface NativeScan {
        int run() throws Throwable;
    }

    /** The {@code YR_CALLBACK_FUNC} (types.h): {@code int (YR_SCAN_CONTEXT*, int message, void* data, void* user)}. */
    static int onEvent(MemorySegment context, int message, MemorySegment data, MemorySegment userData) {
        ScanSession session = CURRENT.get();
        if (session == null) {
            return Libyara.CALLBACK_ERROR;
        }
        try {
            if (message == Libyara.CALLBACK_MSG_RULE_MATCHING) {
                session.matches.add(readRule(
                        context.reinterpret(Libyara.CONTEXT_SIZE),
                        data.reinterpret(Libyara.RULE_SIZE),
                        session.tooManyMatches));
            } else if (message == Libyara.CALLBACK_MSG_TOO_MANY_MATCHES) {
                // data is the YR_STRING whose matches libyara stops recording; the scan goes on without them, and the
                // rules using that string report truncated evidence.
                session.tooManyMatches.add(data.address());
            }
            return Libyara.CALLBACK_CONTINUE;
        } catch (Throwable t) {
            session.failure = t;
            return Libyara.CALLBACK_ERROR;
        }
    }

    private static YaraMatch readRule(MemorySegment context, MemorySegment rule, Set<Long> tooManyMatches) {
        String identifier = Libyara.cString(Libyara.pointer(rule, Libyara.RULE_IDENTIFIER), MAX_IDENTIFIER);
        String namespace = Libyara.struct(Libyara.pointer(rule, Libyara.RULE_NS), 16)
                .map(ns -> Libyara.cString(Libyara.pointer(ns, Libyara.NAMESPACE_NAME), MAX_IDENTIFIER))
                .orElse("");
        List<String> tags = Libyara.cStringList(Libyara.pointer(rule, Libyara.RULE_TAGS), MAX_TAGS, MAX_IDENTIFIER);
        Map<String, Object> meta = readMetas(Libyara.pointer(rule, Libyara.RULE_METAS));
        List<YaraStringMatch> strings = new ArrayList<>();
        boolean truncated = readStrings(context, Libyara.pointer(rule, Libyara.RULE_STRINGS), strings, tooManyMatches);
        return new YaraMatch(identifier, namespace, tags, meta, strings, truncated);
    }

    /** YR_META array ending at the entry flagged META_FLAGS_LAST_IN_RULE (rules.h {@code yr_rule_metas_foreach}). */
    private static Map<String, Object> readMetas(MemorySegment first) {
        Map<String, Object> metas = new LinkedHashMap<>();
        if (first.address() == 0) {
            return metas;
        }
        MemorySegment all = first.reinterpret(Libyara.META_SIZE * MAX_METAS_PER_RULE);
        for (int i = 0; i < MAX_METAS_PER_RULE; i++) {
            MemorySegment m = all.asSlice(i * Libyara.META_SIZE, Libyara.META_SIZE);
            String key = Libyara.cString(Libyara.pointer(m, Libyara.META_IDENTIFIER), MAX_IDENTIFIER);
            int type = m.get(JAVA_INT_UNALIGNED, Libyara.META_TYPE);
            Object value =
                    switch (type) {
                        case Libyara.META_TYPE_INTEGER -> m.get(JAVA_LONG_UNALIGNED, Libyara.META_INTEGER);
                        case Libyara.META_TYPE_BOOLEAN -> m.get(JAVA_LONG_UNALIGNED, Libyara.META_INTEGER) != 0;
                        case Libyara.META_TYPE_STRING ->
                            Libyara.cString(Libyara.pointer(m, Libyara.META_STRING), MAX_META_STRING);
                        default -> throw new IllegalStateException("unknown YR_META type " + type + " for " + key);
                    };
            metas.putIfAbsent(key, value);
            if ((m.get(JAVA_INT_UNALIGNED, Libyara.META_FLAGS) & Libyara.META_FLAGS_LAST_IN_RULE) != 0) {
                return metas;
            }
        }
        throw new IllegalStateException("a rule has more than " + MAX_METAS_PER_RULE + " metas: layout mismatch?");
    }

    /**
     * Walks the rule's YR_STRING array (rules.h {@code yr_rule_strings_foreach}) and, for each, the match list the
     * scan context keeps at {@code context->matches[string->idx]} (rules.h {@code yr_string_matches_foreach}),
     * skipping private strings and matches. Returns true when matches were left out to respect the bounds, or libyara
     * stopped recording a string's matches ({@code CALLBACK_MSG_TOO_MANY_MATCHES}).
     */
    private static boolean readStrings(
            MemorySegment context, MemorySegment first, List<YaraStringMatch> out, Set<Long> tooManyMatches) {
        if (first.address() == 0) {
            return false;
        }
        MemorySegment rules = Libyara.pointer(context, Libyara.CONTEXT_RULES).reinterpret(Libyara.RULES_SIZE);
        long numStrings = Integer.toUnsignedLong(rules.get(JAVA_INT_UNALIGNED, Libyara.RULES_NUM_STRINGS));
        MemorySegment matchTable =
                Libyara.pointer(context, Libyara.CONTEXT_MATCHES).reinterpret(numStrings * Libyara.MATCHES_SIZE);
        MemorySegment all = first.reinterpret(Libyara.STRING_SIZE * MAX_STRINGS_PER_RULE);
        boolean truncated = false;
        for (int i = 0; i < MAX_STRINGS_PER_RULE; i++) {
            MemorySegment s = all.asSlice(i * Libyara.STRING_SIZE, Libyara.STRING_SIZE);
            int flags = s.get(JAVA_INT_UNALIGNED, Libyara.STRING_FLAGS);
            long idx = Integer.toUnsignedLong(s.get(JAVA_INT_UNALIGNED, Libyara.STRING_IDX));
            if (idx >= numStrings) {
                throw new IllegalStateException("string index " + idx + " beyond the " + numStrings + " strings");
            }
            truncated |= tooManyMatches.contains(s.address());
            if ((flags & Libyara.STRING_FLAGS_PRIVATE) == 0) {
                truncated |= readMatches(s, matchTable.asSlice(idx * Libyara.MATCHES_SIZE, Libyara.MATCHES_SIZE), out);
            }
            if ((flags & Libyara.STRING_FLAGS_LAST_IN_RULE) != 0) {
                return truncated;
            }
        }
        throw new IllegalStateException("a rule has more than " + MAX_STRINGS_PER_RULE + " strings: layout mismatch?");
    }

    private static boolean readMatches(MemorySegment string, MemorySegment matches, List<YaraStringMatch> out) {
        int count = matches.get(JAVA_INT_UNALIGNED, Libyara.MATCHES_COUNT);
        MemorySegment match = Libyara.pointer(matches, Libyara.MATCHES_HEAD);
        if (count <= 0 || match.address() == 0) {
            return false;
        }
        String identifier = Libyara.cString(Libyara.pointer(string, Libyara.STRING_IDENTIFIER), MAX_IDENTIFIER);
        int taken = 0;
        // count bounds the walk as well: a list longer than its count would be a corrupted context.
        for (int seen = 0; seen < count && match.address() != 0; seen++) {
            MemorySegment m = match.reinterpret(Libyara.MATCH_SIZE);
            if (m.get(JAVA_BYTE, Libyara.MATCH_IS_PRIVATE) == 0) {
                if (taken == YaraRules.MAX_MATCHES_PER_STRING || out.size() == YaraRules.MAX_MATCHES_PER_RULE) {
                    return true;
                }
                long offset = m.get(JAVA_LONG_UNALIGNED, Libyara.MATCH_BASE)
                        + m.get(JAVA_LONG_UNALIGNED, Libyara.MATCH_OFFSET);
                out.add(new YaraStringMatch(identifier, offset, m.get(JAVA_INT_UNALIGNED, Libyara.MATCH_LENGTH)));
                taken++;
            }
            match = m.get(ADDRESS_UNALIGNED, Libyara.MATCH_NEXT);
        }
        return false;
    }
}
