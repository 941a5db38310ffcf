package org.crustyclaw.channel.signal;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a state that has no event to wait on (a pool's counters, a component's bindings):
 * polls until it holds, or fails saying what did not happen. The deadline only guards against
 * a hang; it is never a bound on how fast the state should come.
 */
final class Await {

    static final Duration HANG_GUARD = Duration.ofSeconds(120);

    private Await() {}

    /** The first value that satisfies {@code done}; {@code what} names the state for the failure. */
    static <T> T until(String what, Supplier<T> value, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        T last = value.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + HANG_GUARD + ": " + what + "; last seen: " + last);
            }
            // test-rules: sleep allowed: the poll interval of this helper, for states that raise no event
            Thread.sleep(20);
            last = value.get();
        }
        return last;
    }
}
