package dev.tollgate.yara;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.ADDRESS_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The FFM binding to libyara 4.2 ({@code libyara.so.9}): function handles, the constants and the struct offsets this
 * code reads. Nothing here is public; {@link YaraRules} is the API.
 *
 * <p>Offsets are for x86_64 Linux and were taken from the 4.2.3 headers ({@code yara/types.h}, {@code yara/arena.h},
 * {@code yara/stopwatch.h}) and checked with a C program printing {@code offsetof}/{@code sizeof} against them (see
 * {@code NativeLayoutIT}, which repeats that check whenever a C compiler and the headers are present).
 *
 * <p>Threading, as libyara 4.2 implements it: {@code yr_initialize}/{@code yr_finalize} keep a plain {@code int}
 * reference count and create the library's thread-storage keys, so they are called under one lock; no per-thread
 * initialisation exists in 4.x ({@code yr_finalize_thread} and the thread-index API of 3.x are gone: the exported
 * symbols have neither). Match lists live in the per-scan {@code YR_SCAN_CONTEXT}, not in {@code YR_STRING}, so one
 * {@code YR_RULES} serves concurrent {@code yr_rules_scan_mem} calls from any number of threads (the
 * {@code YR_MAX_THREADS} comment in {@code limits.h} describes 3.x).
 */
// Restricted FFM calls are this module's purpose; the launcher and tests grant --enable-native-access.
@SuppressWarnings("restricted")
final class Libyara {

    static final String LIBRARY = "libyara.so.9";
    static final String INSTALL_HINT = LIBRARY + " not found: install libyara9 (apt-get install libyara9)";

    // yara/error.h
    static final int ERROR_SUCCESS = 0;
    static final int ERROR_SCAN_TIMEOUT = 26;
    static final int ERROR_CALLBACK_ERROR = 28;

    // yara/rules.h
    static final int CALLBACK_MSG_RULE_MATCHING = 1;
    static final int CALLBACK_MSG_TOO_MANY_MATCHES = 6;
    static final int CALLBACK_CONTINUE = 0;
    static final int CALLBACK_ERROR = 2;

    // yara/scan.h. NO_TRYCATCH because libyara's try/catch installs process-wide SIGSEGV/SIGBUS handlers for the
    // duration of a scan (libyara/exception.h), and the JVM relies on those signals on every thread (null checks,
    // safepoint polls): a fault taken by the JVM while another thread scans would reach libyara's handler instead.
    static final int SCAN_FLAGS_NO_TRYCATCH = 4;
    static final int SCAN_FLAGS_REPORT_RULES_MATCHING = 8;

    // yara/compiler.h
    static final int YARA_ERROR_LEVEL_ERROR = 0;

    // YR_RULE (types.h): int32 flags; int32 num_atoms; then five 8-byte references. sizeof 48.
    static final long RULE_IDENTIFIER = 8;
    static final long RULE_TAGS = 16;
    static final long RULE_METAS = 24;
    static final long RULE_STRINGS = 32;
    static final long RULE_NS = 40;
    static final long RULE_SIZE = 48;

    // YR_NAMESPACE: name reference first. YR_META: identifier, string, int64 integer, int32 type, int32 flags (32).
    static final long NAMESPACE_NAME = 0;
    static final long META_IDENTIFIER = 0;
    static final long META_STRING = 8;
    static final long META_INTEGER = 16;
    static final long META_TYPE = 24;
    static final long META_FLAGS = 28;
    static final long META_SIZE = 32;
    static final int META_TYPE_INTEGER = 1;
    static final int META_TYPE_STRING = 2;
    static final int META_TYPE_BOOLEAN = 3;
    static final int META_FLAGS_LAST_IN_RULE = 1;

    // YR_STRING: uint32 flags; uint32 idx; int64 fixed_offset; uint32 rule_idx; int32 length; string; chained_to;
    // int32 chain_gap_min; int32 chain_gap_max; identifier. sizeof 56.
    static final long STRING_FLAGS = 0;
    static final long STRING_IDX = 4;
    static final long STRING_IDENTIFIER = 48;
    static final long STRING_SIZE = 56;
    static final int STRING_FLAGS_LAST_IN_RULE = 0x1000;
    static final int STRING_FLAGS_PRIVATE = 0x100000;

    // YR_SCAN_CONTEXT: the YR_MATCHES* array indexed by YR_STRING.idx sits after two uint64, two int, a uint64, five
    // pointers, YR_STOPWATCH (a 16-byte timespec union on Linux), RE_FIBER_POOL (24), RE_FAST_EXEC_POSITION_POOL (8)
    // and three bitmask pointers. sizeof 184.
    static final long CONTEXT_RULES = 48;
    static final long CONTEXT_MATCHES = 160;
    static final long CONTEXT_SIZE = 184;

    // YR_RULES: YR_ARENA*, three table pointers, four more pointers, then uint32 num_rules, num_strings,
    // num_namespaces. sizeof 80.
    static final long RULES_NUM_STRINGS = 68;
    static final long RULES_SIZE = 80;

    // YR_MATCHES: YR_MATCH* head; YR_MATCH* tail; int32 count (24). YR_MATCH: int64 base; int64 offset;
    // int32 match_length; int32 data_length; data; prev; next; int32 chain_length; bool is_private (56).
    static final long MATCHES_HEAD = 0;
    static final long MATCHES_COUNT = 16;
    static final long MATCHES_SIZE = 24;
    static final long MATCH_BASE = 0;
    static final long MATCH_OFFSET = 8;
    static final long MATCH_LENGTH = 16;
    static final long MATCH_NEXT = 40;
    static final long MATCH_IS_PRIVATE = 52;
    static final long MATCH_SIZE = 56;

    // YR_STREAM (stream.h): void* user_data; read; write.
    static final long STREAM_SIZE = 24;

    static final FunctionDescriptor COMPILER_CALLBACK =
            FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
    static final FunctionDescriptor SCAN_CALLBACK =
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
    static final FunctionDescriptor STREAM_FUNC =
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS);

    private static final Object LOAD_LOCK = new Object();
    private static Libyara loaded;

    private final Linker linker = Linker.nativeLinker();
    private final Object initLock = new Object();

    final MethodHandle initialize;
    final MethodHandle finalizeLibrary;
    final MethodHandle compilerCreate;
    final MethodHandle compilerDestroy;
    final MethodHandle compilerSetCallback;
    final MethodHandle compilerAddFd;
    final MethodHandle compilerAddString;
    final MethodHandle compilerGetRules;
    final MethodHandle rulesDestroy;
    final MethodHandle rulesScanMem;
    final MethodHandle rulesSaveStream;
    final MethodHandle rulesLoadStream;
    final MethodHandle open;
    final MethodHandle close;

    /** The one scan callback ({@link ScanSession#onEvent}); it finds its scan through a thread-local. */
    final MemorySegment scanCallback;

    private Libyara(SymbolLookup yara) throws YaraUnavailableException {
        SymbolLookup libc = linker.defaultLookup();
        initialize = bind(yara, "yr_initialize", FunctionDescriptor.of(JAVA_INT));
        finalizeLibrary = bind(yara, "yr_finalize", FunctionDescriptor.of(JAVA_INT));
        compilerCreate = bind(yara, "yr_compiler_create", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        compilerDestroy = bind(yara, "yr_compiler_destroy", FunctionDescriptor.ofVoid(ADDRESS));
        compilerSetCallback =
                bind(yara, "yr_compiler_set_callback", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
        compilerAddFd =
                bind(yara, "yr_compiler_add_fd", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        compilerAddString =
                bind(yara, "yr_compiler_add_string", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        compilerGetRules = bind(yara, "yr_compiler_get_rules", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        rulesDestroy = bind(yara, "yr_rules_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        rulesScanMem = bind(
                yara,
                "yr_rules_scan_mem",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        rulesSaveStream = bind(yara, "yr_rules_save_stream", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        rulesLoadStream = bind(yara, "yr_rules_load_stream", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        // open(2) is variadic; with no third argument only the two fixed ones are passed.
        open = bind(
                libc, "open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(2));
        close = bind(libc, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        scanCallback = upcall(
                findStatic(
                        ScanSession.class,
                        "onEvent",
                        MethodType.methodType(
                                int.class, MemorySegment.class, int.class, MemorySegment.class, MemorySegment.class)),
                SCAN_CALLBACK,
                Arena.global());
    }

    /**
     * The process-wide binding, loading {@value #LIBRARY} on first use (or the library named by the system property
     * {@code tollgate.libyara}, so that tests and packagers can point at another build or at none).
     */
    static Libyara get() throws YaraUnavailableException {
        synchronized (LOAD_LOCK) {
            if (loaded == null) {
                loaded = load(System.getProperty("tollgate.libyara", LIBRARY));
            }
            return loaded;
        }
    }

    /** Loads {@code library} (a soname or a path); package-private so a test can name one that does not exist. */
    static Libyara load(String library) throws YaraUnavailableException {
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(library, Arena.global());
        } catch (IllegalArgumentException | IllegalCallerException e) {
            String hint = library.equals(LIBRARY) ? INSTALL_HINT : library + " not found (" + INSTALL_HINT + ")";
            throw new YaraUnavailableException(hint, e);
        }
        return new Libyara(lookup);
    }

    private MethodHandle bind(SymbolLookup lookup, String name, FunctionDescriptor fd, Linker.Option... options)
            throws YaraUnavailableException {
        Optional<MemorySegment> symbol = lookup.find(name);
        if (symbol.isEmpty()) {
            throw new YaraUnavailableException(
                    "the loaded " + LIBRARY + " has no function " + name + ": Tollgate needs libyara 4.2 (libyara9)",
                    null);
        }
        return linker.downcallHandle(symbol.get(), fd, options);
    }

    /** An upcall stub for {@code target} (a static or bound handle), living as long as {@code arena}. */
    MemorySegment upcall(MethodHandle target, FunctionDescriptor fd, Arena arena) {
        return linker.upcallStub(target, fd, arena);
    }

    static MethodHandle findStatic(Class<?> owner, String name, MethodType type) {
        try {
            return MethodHandles.lookup().findStatic(owner, name, type);
        } catch (ReflectiveOperationException e) {
            throw new LinkageError("missing callback " + owner.getName() + "." + name, e);
        }
    }

    static MethodHandle findVirtual(Object receiver, String name, MethodType type) {
        try {
            return MethodHandles.lookup()
                    .findVirtual(receiver.getClass(), name, type)
                    .bindTo(receiver);
        } catch (ReflectiveOperationException e) {
            throw new LinkageError("missing callback " + receiver.getClass().getName() + "." + name, e);
        }
    }

    /** Takes one reference on libyara's global state ({@code yr_initialize} counts them). */
    void acquire() throws YaraScanException {
        synchronized (initLock) {
            int rc;
            try {
                rc = (int) initialize.invokeExact();
            } catch (Throwable t) {
                throw new IllegalStateException("yr_initialize failed", t);
            }
            if (rc != ERROR_SUCCESS) {
                throw new YaraScanException("yr_initialize failed: " + errorName(rc), rc);
            }
        }
    }

    /** Drops one reference; the last one frees libyara's global state ({@code yr_finalize}). */
    void release() {
        synchronized (initLock) {
            try {
                int rc = (int) finalizeLibrary.invokeExact();
                assert rc == ERROR_SUCCESS : "yr_finalize returned " + rc;
            } catch (Throwable t) {
                throw new IllegalStateException("yr_finalize failed", t);
            }
        }
    }

    // --- reading libyara's structures -------------------------------------------------------------------------------

    /** The pointer stored at {@code offset} in the structure at {@code struct}. */
    static MemorySegment pointer(MemorySegment struct, long offset) {
        return struct.get(ADDRESS_UNALIGNED, offset);
    }

    /** A view of {@code size} bytes at {@code address}, or empty for NULL. */
    static Optional<MemorySegment> struct(MemorySegment address, long size) {
        if (address.address() == 0) {
            return Optional.empty();
        }
        return Optional.of(address.reinterpret(size));
    }

    /** The NUL-terminated UTF-8 string at {@code address}, at most {@code max} bytes; "" for NULL. */
    static String cString(MemorySegment address, int max) {
        return new String(cBytes(address, max), StandardCharsets.UTF_8);
    }

    /** The bytes of the NUL-terminated string at {@code address}, without the NUL, at most {@code max}. */
    static byte[] cBytes(MemorySegment address, int max) {
        if (address.address() == 0) {
            return new byte[0];
        }
        MemorySegment s = address.reinterpret(max);
        long n = 0;
        while (n < max && s.get(JAVA_BYTE, n) != 0) {
            n++;
        }
        return s.asSlice(0, n).toArray(JAVA_BYTE);
    }

    /** A NUL-separated list ending with an empty string (a rule's tags, rules.h {@code yr_rule_tags_foreach}). */
    static List<String> cStringList(MemorySegment address, int maxItems, int maxLength) {
        List<String> items = new ArrayList<>();
        if (address.address() == 0) {
            return items;
        }
        long cursor = address.address();
        while (items.size() < maxItems) {
            byte[] item = cBytes(MemorySegment.ofAddress(cursor), maxLength);
            if (item.length == 0) {
                break;
            }
            items.add(new String(item, StandardCharsets.UTF_8));
            cursor += item.length + 1L;
        }
        return items;
    }

    private static final Map<Integer, String> ERROR_NAMES = errorNames();

    /** The {@code yara/error.h} name of a libyara error code. */
    static String errorName(int code) {
        return ERROR_NAMES.getOrDefault(code, "ERROR_" + code);
    }

    private static Map<Integer, String> errorNames() {
        String[] names = {
            "ERROR_SUCCESS",
            "ERROR_INSUFFICIENT_MEMORY",
            "ERROR_COULD_NOT_ATTACH_TO_PROCESS",
            "ERROR_COULD_NOT_OPEN_FILE",
            "ERROR_COULD_NOT_MAP_FILE",
            null,
            "ERROR_INVALID_FILE",
            "ERROR_CORRUPT_FILE",
            "ERROR_UNSUPPORTED_FILE_VERSION",
            "ERROR_INVALID_REGULAR_EXPRESSION",
            "ERROR_INVALID_HEX_STRING",
            "ERROR_SYNTAX_ERROR",
            "ERROR_LOOP_NESTING_LIMIT_EXCEEDED",
            "ERROR_DUPLICATED_LOOP_IDENTIFIER",
            "ERROR_DUPLICATED_IDENTIFIER",
            "ERROR_DUPLICATED_TAG_IDENTIFIER",
            "ERROR_DUPLICATED_META_IDENTIFIER",
            "ERROR_DUPLICATED_STRING_IDENTIFIER",
            "ERROR_UNREFERENCED_STRING",
            "ERROR_UNDEFINED_STRING",
            "ERROR_UNDEFINED_IDENTIFIER",
            "ERROR_MISPLACED_ANONYMOUS_STRING",
            "ERROR_INCLUDES_CIRCULAR_REFERENCE",
            "ERROR_INCLUDE_DEPTH_EXCEEDED",
            "ERROR_WRONG_TYPE",
            "ERROR_EXEC_STACK_OVERFLOW",
            "ERROR_SCAN_TIMEOUT",
            "ERROR_TOO_MANY_SCAN_THREADS",
            "ERROR_CALLBACK_ERROR",
            "ERROR_INVALID_ARGUMENT",
            "ERROR_TOO_MANY_MATCHES",
            "ERROR_INTERNAL_FATAL_ERROR",
            "ERROR_NESTED_FOR_OF_LOOP",
            "ERROR_INVALID_FIELD_NAME",
            "ERROR_UNKNOWN_MODULE",
            "ERROR_NOT_A_STRUCTURE",
            "ERROR_NOT_INDEXABLE",
            "ERROR_NOT_A_FUNCTION",
            "ERROR_INVALID_FORMAT",
            "ERROR_TOO_MANY_ARGUMENTS",
            "ERROR_WRONG_ARGUMENTS",
            "ERROR_WRONG_RETURN_TYPE",
            "ERROR_DUPLICATED_STRUCTURE_MEMBER",
            "ERROR_EMPTY_STRING",
            "ERROR_DIVISION_BY_ZERO",
            "ERROR_REGULAR_EXPRESSION_TOO_LARGE",
            "ERROR_TOO_MANY_RE_FIBERS",
            "ERROR_COULD_NOT_READ_PROCESS_MEMORY",
            "ERROR_INVALID_EXTERNAL_VARIABLE_TYPE",
            "ERROR_REGULAR_EXPRESSION_TOO_COMPLEX",
            "ERROR_INVALID_MODULE_NAME",
            "ERROR_TOO_MANY_STRINGS",
            "ERROR_INTEGER_OVERFLOW",
            "ERROR_CALLBACK_REQUIRED",
            "ERROR_INVALID_OPERAND",
            "ERROR_COULD_NOT_READ_FILE",
            "ERROR_DUPLICATED_EXTERNAL_VARIABLE",
            "ERROR_INVALID_MODULE_DATA",
            "ERROR_WRITING_FILE",
            "ERROR_INVALID_MODIFIER",
            "ERROR_DUPLICATED_MODIFIER",
            "ERROR_BLOCK_NOT_READY",
            "ERROR_INVALID_PERCENTAGE",
            "ERROR_IDENTIFIER_MATCHES_WILDCARD"
        };
        Map<Integer, String> map = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null) {
                map.put(i, names[i]);
            }
        }
        return Map.copyOf(map);
    }
}
