package dev.tollgate.formats.archive;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap every unpacker of a scan may fill with entry content at once, shared across threads: an entry is held on
 * the heap only while its bytes fit what is left, otherwise it is spooled to a private temporary file. So the heap
 * that unpacking takes is bounded by one number however many files are vetted in parallel and however deeply they
 * nest, while small entries (most of them) never touch the disk. Thread-safe.
 */
public final class SpoolMemory {

    /** The default: 256 MiB of entry content on the heap across all threads. */
    public static final long DEFAULT_CAPACITY = 256L << 20;

    private final long capacity;
    private final AtomicLong reserved = new AtomicLong();

    private SpoolMemory(long capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("spool memory capacity cannot be negative: " + capacity);
        }
        this.capacity = capacity;
    }

    /** A budget of {@code capacity} bytes (0: every entry goes to a temporary file). */
    public static SpoolMemory of(long capacity) {
        return new SpoolMemory(capacity);
    }

    public long capacity() {
        return capacity;
    }

    /** Bytes reserved now (for tests and diagnostics). */
    public long reserved() {
        return reserved.get();
    }

    /** Reserves {@code bytes} if they fit what is left; returns false (and reserves nothing) when they do not. */
    boolean tryReserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot reserve a negative number of bytes: " + bytes);
        }
        while (true) {
            long now = reserved.get();
            if (now + bytes > capacity || now + bytes < 0) {
                return false;
            }
            if (reserved.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Gives back {@code bytes} reserved earlier. */
    void release(long bytes) {
        long after = reserved.addAndGet(-bytes);
        if (after < 0) {
            throw new IllegalStateException("spool memory released more than it reserved: " + after);
        }
    }
}
