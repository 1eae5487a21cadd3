package dev.tollgate.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link ScanCacheEntry#read} on hostile bytes, one case per bug found (the round trips are in ScanCacheTest). */
class ScanCacheEntryTest {

    private static final ScanCache.Key KEY = new ScanCache.Key("c".repeat(64), "a.dll", "1".repeat(64), 1);

    /** Found by ScanCacheEntryFuzzTest: Jackson's BigDecimal parsing threw NumberFormatException past the reader. */
    @Test
    void rejectsADecimalWhoseExponentOverflowsInsteadOfThrowing() {
        byte[] entry = "{\"format\":\"tollgate-scan-cache/2\",\"entropy\":4.65751343967254e5330455369}"
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ScanCacheEntry.read(entry, KEY))
                .isInstanceOf(ScanCacheEntry.InvalidEntryException.class)
                .hasMessageStartingWith("not valid JSON");
    }
}
