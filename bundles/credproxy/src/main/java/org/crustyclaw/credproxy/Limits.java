package org.crustyclaw.credproxy;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.crustyclaw.api.egress.EgressLimits;

/** One session's request rate, bandwidth, total bytes and connection count. */
final class Limits implements Bodies.Meter {

    /** The session's byte total is spent. */
    static final class Exhausted extends IOException {
        private static final long serialVersionUID = 1L;

        Exhausted(long total) {
            super("the session's " + total + " bytes are spent");
        }
    }

    private final EgressLimits limits;
    private final Semaphore connections;
    private final AtomicLong moved = new AtomicLong();
    private double requestTokens;
    private long requestStamp = System.nanoTime();
    private double byteTokens;
    private long byteStamp = System.nanoTime();

    Limits(EgressLimits limits) {
        this.limits = limits;
        this.connections = new Semaphore(limits.connections());
        this.requestTokens = limits.requestsPerSecond();
        this.byteTokens = limits.bytesPerSecond();
    }

    boolean tryConnection() {
        return connections.tryAcquire();
    }

    void releaseConnection() {
        connections.release();
    }

    /** Whether one more request may start now (a token bucket of one second's worth). */
    synchronized boolean tryRequest() {
        long now = System.nanoTime();
        requestTokens = Math.min(limits.requestsPerSecond(),
                requestTokens + (now - requestStamp) / 1e9 * limits.requestsPerSecond());
        requestStamp = now;
        if (requestTokens < 1) {
            return false;
        }
        requestTokens -= 1;
        return true;
    }

    @Override
    public void take(long n) throws IOException {
        long total = moved.addAndGet(n);
        if (total > limits.totalBytes()) {
            throw new Exhausted(limits.totalBytes());
        }
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            byteTokens = Math.min(limits.bytesPerSecond(), byteTokens + (now - byteStamp) / 1e9 * limits.bytesPerSecond());
            byteStamp = now;
            byteTokens -= n;
            waitNanos = byteTokens < 0 ? (long) (-byteTokens / limits.bytesPerSecond() * 1e9) : 0;
        }
        if (waitNanos > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(waitNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while held to the bandwidth limit", e);
            }
        }
    }

    @Override
    public long remaining() {
        return Math.max(0, limits.totalBytes() - moved.get());
    }

    long moved() {
        return moved.get();
    }
}
