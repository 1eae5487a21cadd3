package dev.tollgate.store;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Opaque, time-ordered ids: UUID version 7 (RFC 9562, section 5.7) as lower-case text. Ids made by one process are
 * strictly increasing (a counter in the random bits within one millisecond), so that a list ordered by id is ordered by
 * creation and a cursor is simply the last id seen.
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static long lastMillis;
    private static long sequence;

    private Ids() {}

    /** A new id. */
    public static synchronized String next() {
        long millis = System.currentTimeMillis();
        if (millis > lastMillis) {
            lastMillis = millis;
            sequence = RANDOM.nextInt(1 << 11); // leave room to count up within the millisecond
        } else if (++sequence >= (1 << 12)) {
            lastMillis++; // 4096 ids in one millisecond: borrow the next one, keeping the order
            sequence = 0;
        }
        long high = (lastMillis << 16) | 0x7000L | sequence;
        long low = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }

    /** Whether {@code value} has the shape of an id (so that a malformed one is a 404, not a query). */
    public static boolean isWellFormed(String value) {
        return value != null
                && value.length() == 36
                && value.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }
}
