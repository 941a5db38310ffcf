package org.crustyclaw.sandbox.manager;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.crustyclaw.api.sandbox.IsolationLevel;
import org.crustyclaw.api.sandbox.PoolStats;
import org.crustyclaw.api.sandbox.PreparedSandbox;
import org.crustyclaw.api.sandbox.ResourceLimits;

/**
 * Pre-started sandboxes per image and isolation level, refilled in the background. A
 * sandbox is handed out once, with its own fresh workspace (a copy of the snapshot), and
 * destroyed after its one command: nothing is ever reused across tasks.
 */
public final class WarmPool implements AutoCloseable {

    /** Which pool: the image its sandboxes run and the level they serve. */
    public record Key(String image, IsolationLevel level) {}

    /** A sandbox taken from the pool; {@link #release} once its command ended. */
    public final class Lease {
        private final Pool pool;
        private final PreparedSandbox sandbox;

        private Lease(Pool pool, PreparedSandbox sandbox) {
            this.pool = pool;
            this.sandbox = sandbox;
        }

        public PreparedSandbox sandbox() {
            return sandbox;
        }

        public void release() {
            sandbox.close();
            synchronized (pool) {
                pool.inUse--;
            }
        }
    }

    private static final long RETRY_MILLIS = 2000;
    private static final int LATENCY_WINDOW = 1000;

    private final Map<Key, Pool> pools = new LinkedHashMap<>();
    private final ResourceLimits limits;
    private final Workspaces workspaces;
    private final Function<IsolationLevel, Choice> selector;
    private final ScheduledExecutorService refill;
    private volatile boolean closed;

    /**
     * @param sizes    how many idle sandboxes each pool keeps
     * @param limits   the limits of every pooled sandbox; requests with other limits start cold
     * @param selector the backend for a level, as the manager would choose it for a run now
     */
    public WarmPool(Map<Key, Integer> sizes, ResourceLimits limits, Workspaces workspaces,
            Function<IsolationLevel, Choice> selector) {
        this.limits = limits;
        this.workspaces = workspaces;
        this.selector = selector;
        sizes.forEach((key, size) -> pools.put(key, new Pool(key, size)));
        this.refill = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "sandbox-pool-refill");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Parses {@code image@LEVEL=SIZE} entries such as {@code base@L2=2}.
     *
     * @throws IllegalArgumentException naming the entry and the expected form
     */
    static Map<Key, Integer> parse(String[] entries) {
        Map<Key, Integer> sizes = new LinkedHashMap<>();
        for (String entry : entries) {
            String[] parts = entry.trim().split("[@=]");
            if (parts.length != 3 || parts[0].isBlank()) {
                throw new IllegalArgumentException("pool '" + entry + "' is not image@LEVEL=SIZE (e.g. base@L2=2)");
            }
            int size;
            try {
                size = Integer.parseInt(parts[2].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("pool '" + entry + "' has size '" + parts[2] + "': expected a number");
            }
            if (size < 0 || size > 64) {
                throw new IllegalArgumentException("pool '" + entry + "' has size " + size + ": expected 0 to 64");
            }
            sizes.put(new Key(parts[0].trim(), IsolationLevel.parse(parts[1])), size);
        }
        return sizes;
    }

    /** Starts filling every pool in the background. */
    public void start() {
        pools.values().forEach(this::refill);
    }

    ResourceLimits limits() {
        return limits;
    }

    /**
     * Hands out an idle sandbox of {@code backend} for {@code key}, or empty when the pool is
     * empty, unknown, or keeps other limits. Never blocks on a sandbox being started.
     */
    public Optional<Lease> take(Key key, String backend, ResourceLimits wanted) {
        long started = System.nanoTime();
        Pool pool = pools.get(key);
        if (pool == null || !limits.equals(wanted)) {
            return Optional.empty();
        }
        List<PreparedSandbox> stale = new ArrayList<>();
        Lease lease = null;
        synchronized (pool) {
            while (!pool.idle.isEmpty() && lease == null) {
                PreparedSandbox candidate = pool.idle.poll();
                if (candidate.backend().equals(backend)) {
                    pool.inUse++;
                    pool.handedOut++;
                    lease = new Lease(pool, candidate);
                } else {
                    stale.add(candidate);
                }
            }
            if (lease != null) {
                pool.record(System.nanoTime() - started);
            }
        }
        stale.forEach(this::discard);
        refill(pool);
        return Optional.ofNullable(lease);
    }

    /** Destroys the idle sandboxes of a backend that went away, then refills from what is left. */
    public void evict(String backend) {
        for (Pool pool : pools.values()) {
            List<PreparedSandbox> gone = new ArrayList<>();
            synchronized (pool) {
                pool.idle.removeIf(s -> s.backend().equals(backend) && gone.add(s));
            }
            gone.forEach(this::discard);
            refill(pool);
        }
    }

    public List<PoolStats> stats() {
        List<PoolStats> out = new ArrayList<>();
        long minuteAgo = System.nanoTime() - TimeUnit.MINUTES.toNanos(1);
        for (Pool p : pools.values()) {
            synchronized (p) {
                p.refills.removeIf(t -> t < minuteAgo);
                long[] sorted = Arrays.copyOf(p.latencies, Math.min(p.samples, LATENCY_WINDOW));
                Arrays.sort(sorted);
                out.add(new PoolStats(p.key.image(), p.key.level(), p.backend, p.size, p.idle.size(), p.starting,
                        p.inUse, p.handedOut, p.refills.size(), percentile(sorted, 50), percentile(sorted, 99),
                        p.lastError));
            }
        }
        return out;
    }

    private static double percentile(long[] sortedNanos, int pct) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(pct / 100.0 * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, index)] / 1_000_000.0;
    }

    private void refill(Pool pool) {
        if (closed) {
            return;
        }
        int missing;
        synchronized (pool) {
            missing = pool.size - pool.idle.size() - pool.starting;
            pool.starting += Math.max(0, missing);
        }
        for (int i = 0; i < missing; i++) {
            refill.execute(() -> startOne(pool));
        }
    }

    private void startOne(Pool pool) {
        Path workspace = null;
        try {
            Choice selection = selector.apply(pool.key.level());
            if (selection instanceof Choice.Refused r) {
                throw new IllegalStateException(r.refusal().reason());
            }
            Choice.Backend chosen = (Choice.Backend) selection;
            workspace = workspaces.create(limits.diskBytes());
            PreparedSandbox sandbox = chosen.backend().prepare(workspace, limits, pool.key.image());
            synchronized (pool) {
                pool.starting--;
                pool.backend = sandbox.backend();
                pool.lastError = "";
                pool.refills.add(System.nanoTime());
                if (!closed) {
                    pool.idle.add(sandbox);
                    return;
                }
            }
            discard(sandbox);
        } catch (Exception e) {
            if (workspace != null) {
                workspaces.delete(workspace);
            }
            synchronized (pool) {
                pool.starting--;
                pool.lastError = String.valueOf(e.getMessage());
            }
            if (!closed) {
                refill.schedule(() -> refill(pool), RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void discard(PreparedSandbox sandbox) {
        sandbox.close();
        workspaces.delete(sandbox.workspace());
    }

    @Override
    public void close() {
        closed = true;
        refill.shutdownNow();
        try {
            refill.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Pool pool : pools.values()) {
            List<PreparedSandbox> idle;
            synchronized (pool) {
                idle = List.copyOf(pool.idle);
                pool.idle.clear();
            }
            idle.forEach(this::discard);
        }
    }

    private static final class Pool {
        final Key key;
        final int size;
        final Deque<PreparedSandbox> idle = new ArrayDeque<>();
        final Deque<Long> refills = new ArrayDeque<>();
        final long[] latencies = new long[LATENCY_WINDOW];
        int samples;
        int starting;
        int inUse;
        long handedOut;
        String backend = "-";
        String lastError = "";

        Pool(Key key, int size) {
            this.key = key;
            this.size = size;
        }

        void record(long nanos) {
            latencies[samples % LATENCY_WINDOW] = nanos;
            samples++;
        }
    }
}
