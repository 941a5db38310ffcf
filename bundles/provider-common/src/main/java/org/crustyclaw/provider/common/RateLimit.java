package org.crustyclaw.provider.common;

import java.time.Duration;

/** At most N requests a minute, spaced evenly; 0 means no limit. */
final class RateLimit {

    private final long intervalNanos;
    private long next;

    RateLimit(int requestsPerMinute) {
        this.intervalNanos = requestsPerMinute == 0 ? 0 : Duration.ofMinutes(1).toNanos() / requestsPerMinute;
    }

    /** Reserves the next slot and returns how long to wait for it. */
    synchronized Duration reserve(long now) {
        if (intervalNanos == 0) {
            return Duration.ZERO;
        }
        long at = Math.max(now, next);
        next = at + intervalNanos;
        return Duration.ofNanos(at - now);
    }
}
