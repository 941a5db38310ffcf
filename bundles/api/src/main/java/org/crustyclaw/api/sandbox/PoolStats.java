package org.crustyclaw.api.sandbox;

/**
 * One warm pool as {@code sandbox pool} shows it.
 *
 * @param image            the image its sandboxes run
 * @param level            the isolation level it serves
 * @param backend          the backend its sandboxes come from, {@code -} while none is available
 * @param size             how many idle sandboxes it keeps ready
 * @param idle             started and waiting
 * @param starting         being started by the background refill
 * @param inUse            handed out and still running
 * @param handedOut        handed out since the pool was made
 * @param refillsPerMinute sandboxes started by the refill during the last minute
 * @param acquireP50Millis median time to hand out a sandbox, over the recent acquisitions (0 before any)
 * @param acquireP99Millis 99th percentile of the same
 * @param lastError        why the last refill failed, empty when it did not
 */
public record PoolStats(String image, IsolationLevel level, String backend, int size, int idle, int starting,
        int inUse, long handedOut, int refillsPerMinute, double acquireP50Millis, double acquireP99Millis,
        String lastError) {}
