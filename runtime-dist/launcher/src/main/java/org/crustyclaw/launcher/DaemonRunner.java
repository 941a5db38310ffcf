package org.crustyclaw.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * Runs the daemon in this JVM: Felix with the bundles of {@code bundle/bundles.list} at their
 * start levels, the pid file held under an exclusive lock for the daemon's whole life (so a
 * second start is refused), SIGHUP wired to the configuration reload and SIGTERM to a drained
 * shutdown.
 */
final class DaemonRunner {

    /** The system bundle exports these from the class path: the admin protocol, peer credentials, signals. */
    static final String SYSTEM_PACKAGES_EXTRA = "org.crustyclaw.launcher.protocol;version=1.0.0,jdk.net,sun.misc";

    private final Layout layout;
    private final PrintStream err;

    DaemonRunner(Layout layout, PrintStream err) {
        this.layout = layout;
        this.err = err;
    }

    /** System property: when {@code start} launched this JVM (epoch milliseconds), for the start-up log line. */
    static final String SPAWNED_AT = "crustyclaw.spawnedAt";

    /** Asked after the bundles are installed and before any starts: may the daemon go on? */
    @FunctionalInterface
    interface Gate {
        boolean open() throws IOException;
    }

    /** Holds the pid file lock; empty when another daemon holds it. */
    record PidLock(FileChannel channel, FileLock lock) {}

    static PidLock lockPidFile(Path pidFile) throws IOException {
        Files.createDirectories(pidFile.getParent());
        Files.setPosixFilePermissions(pidFile.getParent(), PosixFilePermissions.fromString("rwx------"));
        FileChannel channel = FileChannel.open(pidFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            return null;
        }
        return new PidLock(channel, lock);
    }

    /** Reads the pid of the daemon that holds the pid file, or -1. */
    static long runningPid(Path pidFile) {
        try {
            String text = Files.readString(pidFile, StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? -1 : Long.parseLong(text);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Runs until the framework stops; returns the process exit code. */
    int run(PidLock pid, Gate configChecked) throws IOException, BundleException, InterruptedException {
        pid.channel().truncate(0);
        pid.channel().write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        pid.channel().force(true);
        // Signals first: a SIGHUP or SIGTERM that arrives while bundles start must not kill the JVM
        // with the default action or skip the drained stop.
        AtomicReference<Framework> running = new AtomicReference<>();
        Signals.onHangup(() -> {
            Framework f = running.get();
            if (f != null) {
                hangup(f.getBundleContext());
            }
        });
        Thread shutdownHook = new Thread(() -> {
            Framework f = running.get();
            if (f != null) {
                stop(f);
            }
            release(pid);
        }, "sigterm");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Framework framework = startDaemon(configChecked);
        if (framework == null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                return Main.FAILED; // exiting through SIGTERM: the hook releases the pid file
            }
            release(pid);
            return Main.FAILED;
        }
        running.set(framework);
        // ProcessHandle's start time comes in whole seconds of boot time plus clock ticks: off by up
        // to a second; the time 'start' spawned us is exact.
        Long spawned = Long.getLong(SPAWNED_AT);
        long sinceJvm = System.currentTimeMillis() - (spawned != null ? spawned : ProcessHandle.current().info().startInstant()
                .map(java.time.Instant::toEpochMilli).orElse(System.currentTimeMillis()));
        java.util.logging.Logger.getLogger(DaemonRunner.class.getName()).info("all start levels up "
                + sinceJvm + " ms after the JVM started (" + framework.getBundleContext().getBundles().length + " bundles)");
        framework.waitForStop(0);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is exiting through SIGTERM: the hook releases the pid file
            return 0;
        }
        release(pid);
        return 0;
    }

    /** Removes the pid file, then lets go of its lock: after this a new daemon may start. */
    private void release(PidLock pid) {
        try {
            Files.deleteIfExists(layout.pidFile());
            pid.lock().release();
            pid.channel().close();
        } catch (IOException e) {
            err.println("warning: cannot remove " + layout.pidFile() + ": " + e.getMessage());
        }
    }

    /** Starts a framework for one command when no daemon runs; the caller stops it. */
    Framework startOneShot(Path socket) throws IOException, BundleException {
        Framework framework = init(properties(socket, Files.createTempDirectory("crustyclaw-oneshot"), true, true));
        return start(framework, install(framework, -1), () -> true);
    }

    /** The daemon's framework, on the bundle cache of the last run when it holds the same installation. */
    Framework startDaemon(Gate configChecked) throws IOException, BundleException {
        BundleCache cache = BundleCache.of(layout);
        if (cache.reusable()) {
            Framework framework = null;
            List<Bundle> installed = null;
            try {
                cache.clearBundleData(scrLocation());
                framework = init(properties(layout.socket(), cache.dir(), false, false));
                installed = install(framework, cache.rememberedAt());
            } catch (BundleException | IOException | RuntimeException e) {
                java.util.logging.Logger.getLogger(DaemonRunner.class.getName()).info("bundle cache not reused ("
                        + e.getMessage() + "); starting clean");
                stopQuietly(framework);
            }
            if (installed != null) {
                return start(framework, installed, configChecked);
            }
        }
        cache.forget();
        Framework framework = init(properties(layout.socket(), cache.dir(), false, true));
        List<Bundle> installed = install(framework, -1);
        cache.remember();
        return start(framework, installed, configChecked);
    }

    /** Framework property: Felix SCR's component metadata cache. */
    static final String SCR_CACHE_METADATA = "ds.cache.metadata";

    /** The location SCR is installed from ({@code bundles.list}), or null when it is not listed. */
    private String scrLocation() throws IOException {
        for (String line : Files.readAllLines(layout.bundles().resolve("bundles.list"))) {
            String[] parts = line.strip().split("\\s+", 2);
            if (parts.length == 2 && !parts[0].startsWith("#") && parts[1].startsWith("org.apache.felix.scr-")) {
                return layout.bundles().resolve(parts[1]).toUri().toString();
            }
        }
        return null;
    }

    private static void stopQuietly(Framework framework) {
        if (framework == null) {
            return;
        }
        try {
            framework.stop();
            framework.waitForStop(10_000);
        } catch (BundleException | InterruptedException | RuntimeException e) {
            // the clean start that follows gets a fresh framework
        }
    }

    private static Framework init(Map<String, String> properties) throws BundleException {
        Framework framework = new FrameworkFactory().newFramework(properties);
        framework.init();
        return framework;
    }

    private Map<String, String> properties(Path socket, Path cache, boolean oneShot, boolean clean) throws IOException {
        Properties build = Layout.buildInfo();
        Map<String, String> p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, cache.toString());
        if (clean) {
            p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        }
        p.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SYSTEM_PACKAGES_EXTRA);
        p.put("felix.log.level", "1");
        if (!oneShot) {
            // SCR keeps the component descriptions it parsed (in its data area, which a reused bundle
            // cache keeps) and reads them back for the bundles whose id and last-modified time match.
            p.put(SCR_CACHE_METADATA, "true");
        }
        p.put("crustyclaw.home", layout.home().toString());
        p.put("crustyclaw.config", layout.config().toString());
        p.put("crustyclaw.state.dir", layout.state().toString());
        p.put("crustyclaw.deploy.dir", layout.deploy().toString());
        p.put("crustyclaw.admin.socket", socket.toString());
        p.put("crustyclaw.oneshot", Boolean.toString(oneShot));
        p.put("crustyclaw.version", build.getProperty("version", "unknown"));
        p.put("crustyclaw.commit", build.getProperty("commit", "unknown"));
        p.put("crustyclaw.buildTime", build.getProperty("buildTime", "unknown"));
        p.put("crustyclaw.startedAt", Long.toString(ProcessHandle.current().info().startInstant()
                .map(java.time.Instant::toEpochMilli).orElse(System.currentTimeMillis())));
        return p;
    }

    /**
     * Installs the bundles of {@code bundles.list} at their start levels and marks them started.
     * On a cache filled at {@code cachedAt} (-1: a clean one) they are there already, whatever
     * else is there goes, and one of them updated since fails the start on this cache.
     */
    private List<Bundle> install(Framework framework, long cachedAt) throws IOException, BundleException {
        BundleContext context = framework.getBundleContext();
        Map<String, Integer> levels = new java.util.LinkedHashMap<>();
        for (String line : Files.readAllLines(layout.bundles().resolve("bundles.list"))) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            levels.put(layout.bundles().resolve(parts[1]).toUri().toString(), Integer.parseInt(parts[0]));
        }
        if (cachedAt >= 0) {
            for (Bundle b : context.getBundles()) {
                if (b.getBundleId() == 0) {
                    continue;
                }
                if (!levels.containsKey(b.getLocation())) {
                    b.uninstall();
                } else if (b.getLastModified() > cachedAt) {
                    throw new BundleException("bundle " + b.getSymbolicName() + " was updated after the cache was filled");
                }
            }
        }
        List<Bundle> installed = new ArrayList<>();
        for (var entry : levels.entrySet()) {
            Bundle b = context.installBundle(entry.getKey());
            b.adapt(BundleStartLevel.class).setStartLevel(entry.getValue());
            installed.add(b);
        }
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        return installed;
    }

    /** The started framework, or null (stopped again) when {@code gate} stays shut. */
    private Framework start(Framework framework, List<Bundle> installed, Gate gate) throws IOException, BundleException {
        int maxLevel = 1;
        for (Bundle b : installed) {
            maxLevel = Math.max(maxLevel, b.adapt(BundleStartLevel.class).getStartLevel());
        }
        if (!gate.open()) {
            framework.stop();
            try {
                framework.waitForStop(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
        framework.start();
        int target = maxLevel;
        java.util.concurrent.CountDownLatch reached = new java.util.concurrent.CountDownLatch(1);
        framework.adapt(FrameworkStartLevel.class).setStartLevel(target, event -> reached.countDown());
        try {
            reached.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Bundle b : installed) {
            if (b.getState() != Bundle.ACTIVE && b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                err.println("warning: bundle " + b.getSymbolicName() + " is not active (state " + b.getState() + ")");
            }
        }
        return framework;
    }

    private void hangup(BundleContext context) {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(DaemonRunner.class.getName());
        try {
            // getAll: the system bundle does not wire java.lang like a bundle, so the
            // assignability check of getServiceReferences would hide every Runnable.
            ServiceReference<?>[] refs = context.getAllServiceReferences(Runnable.class.getName(), "(crustyclaw.signal=HUP)");
            log.info("SIGHUP: " + (refs == null ? 0 : refs.length) + " reload handler(s)");
            for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
                Object service = context.getService(ref);
                if (service instanceof Runnable r) {
                    try {
                        r.run();
                    } finally {
                        context.ungetService(ref);
                    }
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException | RuntimeException e) {
            log.log(java.util.logging.Level.SEVERE, "SIGHUP failed: " + e, e);
        }
    }

    private void stop(Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(layout.shutdownTimeoutSeconds() * 1000L);
        } catch (BundleException | InterruptedException e) {
            err.println("shutdown: " + e.getMessage());
        }
    }
}
