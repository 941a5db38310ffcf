package org.crustyclaw.sandbox.microvm;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Booted microVMs waiting at READY. Each is handed out once and destroyed after its one
 * command; a background thread boots a replacement for every VM taken or found dead.
 */
final class WarmPool implements AutoCloseable {

    /** Boots one VM for the pool. */
    interface Booter {
        MicroVm boot() throws Exception;
    }

    private static final long RETRY_SECONDS = 5;

    private final int size;
    private final Booter booter;
    private final ScheduledExecutorService refill;
    private final LinkedBlockingDeque<MicroVm> idle = new LinkedBlockingDeque<>();
    private final AtomicInteger starting = new AtomicInteger();
    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicLong handedOut = new AtomicLong();
    private final Deque<Long> refills = new ArrayDeque<>();
    private final double[] latencies = new double[256];
    private int latencyCount;
    private volatile String lastError = "";
    private volatile boolean closed;

    WarmPool(int size, Booter booter) {
        this.size = size;
        this.booter = booter;
        this.refill = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "microvm-pool-refill");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < size; i++) {
            scheduleRefill(0);
        }
    }

    /** A live idle VM, or empty when none is ready; a replacement starts booting either way. */
    Optional<MicroVm> take() {
        MicroVm vm;
        while ((vm = idle.poll()) != null) {
            scheduleRefill(0);
            if (vm.alive()) {
                handedOut.incrementAndGet();
                inUse.incrementAndGet();
                vm.onClose(inUse::decrementAndGet);
                return Optional.of(vm);
            }
            vm.close();
        }
        return Optional.empty();
    }

    synchronized void recordAcquire(double millis) {
        latencies[latencyCount % latencies.length] = millis;
        latencyCount++;
    }

    private void scheduleRefill(long delaySeconds) {
        if (closed) {
            return;
        }
        starting.incrementAndGet();
        try {
            refill.schedule(this::bootOne, delaySeconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            starting.decrementAndGet(); // closing
        }
    }

    private void bootOne() {
        try {
            MicroVm vm = booter.boot();
            synchronized (refills) {
                refills.addLast(System.nanoTime());
            }
            lastError = "";
            idle.addLast(vm);
            if (closed && idle.remove(vm)) {
                vm.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            lastError = String.valueOf(e.getMessage());
            starting.decrementAndGet();
            scheduleRefill(RETRY_SECONDS);
            return;
        }
        starting.decrementAndGet();
    }

    /** Counts for {@code sandbox pool}. */
    Snapshot snapshot() {
        int perMinute;
        synchronized (refills) {
            long minuteAgo = System.nanoTime() - TimeUnit.MINUTES.toNanos(1);
            while (!refills.isEmpty() && refills.peekFirst() - minuteAgo < 0) {
                refills.removeFirst();
            }
            perMinute = refills.size();
        }
        double[] sorted;
        synchronized (this) {
            sorted = Arrays.copyOf(latencies, Math.min(latencyCount, latencies.length));
        }
        Arrays.sort(sorted);
        return new Snapshot(size, idle.size(), starting.get(), inUse.get(), handedOut.get(), perMinute,
                percentile(sorted, 0.50), percentile(sorted, 0.99), lastError);
    }

    record Snapshot(int size, int idle, int starting, int inUse, long handedOut, int refillsPerMinute,
            double p50Millis, double p99Millis, String lastError) {}

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    /** Stops refilling and destroys the idle VMs; VMs handed out stay with their holders. */
    @Override
    public void close() {
        closed = true;
        refill.shutdownNow();
        try {
            refill.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        MicroVm vm;
        while ((vm = idle.poll()) != null) {
            vm.close();
        }
    }
}
