package org.crustyclaw.channel.signal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets per sender, per group and one for everything, refilled continuously. A sender
 * over its limit is told once per episode (until its bucket has refilled a token), not once per
 * message, so throttling never turns into a reply flood.
 */
final class RateLimits {

    enum Verdict { PASS, THROTTLED_TELL, THROTTLED_QUIET }

    private final double senderRate;
    private final double senderBurst;
    private final double groupRate;
    private final double groupBurst;
    private final Bucket global;
    private final LongSupplier nanos;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** Rates are per minute; a burst is how many may come at once. */
    RateLimits(double senderPerMinute, int senderBurst, double groupPerMinute, int groupBurst, double globalPerMinute,
            LongSupplier nanos) {
        if (senderPerMinute <= 0 || groupPerMinute <= 0 || globalPerMinute <= 0 || senderBurst < 1 || groupBurst < 1) {
            throw new IllegalArgumentException("rate limits must be positive and bursts at least 1: " + senderPerMinute
                    + "/" + senderBurst + ", " + groupPerMinute + "/" + groupBurst + ", " + globalPerMinute);
        }
        this.senderRate = senderPerMinute / 60e9;
        this.senderBurst = senderBurst;
        this.groupRate = groupPerMinute / 60e9;
        this.groupBurst = groupBurst;
        this.nanos = nanos;
        this.global = new Bucket(globalPerMinute / 60e9, Math.max(1, globalPerMinute / 6), nanos.getAsLong());
    }

    /** Takes one message from {@code sender}, in {@code group} when it is not empty. */
    Verdict take(String sender, String group) {
        long now = nanos.getAsLong();
        Bucket s = buckets.computeIfAbsent("s:" + sender, k -> new Bucket(senderRate, senderBurst, now));
        Bucket g = group.isEmpty() ? null : buckets.computeIfAbsent("g:" + group, k -> new Bucket(groupRate, groupBurst, now));
        boolean ok;
        synchronized (this) {
            ok = s.available(now) && (g == null || g.available(now)) && global.available(now);
            if (ok) {
                s.take();
                if (g != null) {
                    g.take();
                }
                global.take();
                s.told = false;
            }
        }
        if (ok) {
            return Verdict.PASS;
        }
        synchronized (s) {
            if (s.told) {
                return Verdict.THROTTLED_QUIET;
            }
            s.told = true;
            return Verdict.THROTTLED_TELL;
        }
    }

    /** Forgets buckets that are full again, so a flood of new senders cannot grow the map for ever. */
    void prune() {
        long now = nanos.getAsLong();
        buckets.values().removeIf(b -> b.full(now));
    }

    int tracked() {
        return buckets.size();
    }

    private static final class Bucket {
        final double rate;
        final double burst;
        double tokens;
        long last;
        boolean told;

        Bucket(double rate, double burst, long now) {
            this.rate = rate;
            this.burst = burst;
            this.tokens = burst;
            this.last = now;
        }

        boolean available(long now) {
            tokens = Math.min(burst, tokens + (now - last) * rate);
            last = now;
            return tokens >= 1;
        }

        void take() {
            tokens -= 1;
        }

        synchronized boolean full(long now) {
            return Math.min(burst, tokens + (now - last) * rate) >= burst && !told;
        }
    }
}
