package dev.tollgate.server;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Failed logins per client address in a sliding window, kept in this node's memory: an address past the limit is
 * refused before any password is checked, so that one client cannot spend the server's Argon2 time or guess across
 * many accounts. Per-account lockout (in the database, shared by all nodes) is {@link People}'s.
 */
@Component
final class LoginThrottle {

    /** Addresses tracked at most; past it the oldest are forgotten, so that a spray of addresses cannot fill memory. */
    private static final int MAX_ADDRESSES = 100_000;

    private final IdentitySettings settings;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    LoginThrottle(IdentitySettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    boolean refuses(String address) {
        Deque<Instant> times = failures.get(address);
        if (times == null) {
            return false;
        }
        synchronized (times) {
            prune(times);
            return times.size() >= settings.addressFailures();
        }
    }

    void failed(String address) {
        if (failures.size() >= MAX_ADDRESSES) {
            failures.clear();
        }
        Deque<Instant> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (times) {
            prune(times);
            times.addLast(clock.instant());
        }
    }

    private void prune(Deque<Instant> times) {
        Instant horizon = clock.instant().minus(settings.addressWindow());
        while (!times.isEmpty() && times.peekFirst().isBefore(horizon)) {
            times.removeFirst();
        }
    }
}
