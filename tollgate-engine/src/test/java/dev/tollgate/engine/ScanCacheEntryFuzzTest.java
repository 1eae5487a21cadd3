package dev.tollgate.engine;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.model.FileRecord;
import java.io.IOException;
import java.util.List;

/**
 * Fuzzes the scan cache's entry reader: any bytes on disk (a truncated write, another program's file, a tampered
 * entry) are read as a valid entry or rejected with {@link ScanCacheEntry.InvalidEntryException}, never another
 * exception; an entry read is written back to bytes that read to the same records (what the cache returns, it could
 * have stored). The key is taken from the input when it names a well-formed one, so that the fuzzer gets past the key
 * check to the records. Saved inputs in {@code ScanCacheEntryFuzzTestInputs/} (entries the cache wrote for fixtures)
 * run as regression tests.
 */
class ScanCacheEntryFuzzTest {

    private static final ObjectMapper LENIENT = new ObjectMapper();
    private static final ScanCache.Key FALLBACK = new ScanCache.Key("0".repeat(64), "fuzz.bin", "1".repeat(64), 1);

    @FuzzTest(maxDuration = "60s")
    void read(byte[] bytes) {
        ScanCache.Key key = keyNamedIn(bytes);
        List<FileRecord> records;
        try {
            records = ScanCacheEntry.read(bytes, key);
        } catch (ScanCacheEntry.InvalidEntryException rejected) {
            require(rejected.getMessage() != null && !rejected.getMessage().contains("\n"), "rejection: " + rejected);
            return;
        }
        require(!records.isEmpty() && records.getFirst().path().isEmpty(), "the first record is not the file");
        byte[] again;
        try {
            again = ScanCacheEntry.write(key, records);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("read an entry that cannot be written: " + e.getMessage(), e);
        }
        try {
            require(ScanCacheEntry.read(again, key).equals(records), "records changed on a round trip");
        } catch (ScanCacheEntry.InvalidEntryException e) {
            throw new IllegalStateException("rejected its own entry: " + e.getMessage(), e);
        }
    }

    private static ScanCache.Key keyNamedIn(byte[] bytes) {
        try {
            JsonNode root = LENIENT.readTree(bytes);
            if (root != null && root.isObject()) {
                return new ScanCache.Key(
                        root.path("context").asText(),
                        root.path("name").asText(),
                        root.path("sha256").asText(),
                        root.path("size").asLong());
            }
        } catch (IOException | IllegalArgumentException e) {
            // not JSON, or not a well-formed key: the reader must reject it against any key
        }
        return FALLBACK;
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException(what);
        }
    }
}
