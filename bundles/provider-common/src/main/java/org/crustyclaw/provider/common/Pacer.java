package org.crustyclaw.provider.common;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Time as a call sees it: the clock, and waits that an abort ends early. */
public interface Pacer {

    long nanoTime();

    /**
     * Waits {@code d} or until {@code abort} is counted down.
     *
     * @return true when the wait ran out, false when aborted
     */
    boolean await(CountDownLatch abort, Duration d) throws InterruptedException;

    /** The real clock and real waits. */
    Pacer SYSTEM = new Pacer() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public boolean await(CountDownLatch abort, Duration d) throws InterruptedException {
            return !abort.await(d.toNanos(), TimeUnit.NANOSECONDS);
        }
    };
}
