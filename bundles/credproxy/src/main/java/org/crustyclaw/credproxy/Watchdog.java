package org.crustyclaw.credproxy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ends connections whose head has not arrived by its deadline (slowloris) and connections
 * on which nothing moved for the idle timeout. A late head gets its input shut, so that its
 * reader answers 408; an idle connection is closed.
 */
final class Watchdog implements AutoCloseable {

    private final Set<Conn> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private final long idleNanos;

    Watchdog(long idleMillis, long periodMillis) {
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "crustyclaw-egress-watchdog");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sweep, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    void watch(Conn conn) {
        watched.add(conn);
    }

    void forget(Conn conn) {
        watched.remove(conn);
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Conn c : watched) {
            if (c.isClosed()) {
                watched.remove(c);
            } else if (c.headPending && now - c.headDeadline > 0 && !c.timedOut) {
                c.timedOut = true;
                c.shutdownInput();
            } else if (now - c.lastActivity > idleNanos) {
                c.timedOut = true;
                c.close();
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
