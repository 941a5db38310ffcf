package org.crustyclaw.bench.sandbox;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.crustyclaw.api.policy.Subject;
import org.crustyclaw.api.sandbox.PoolStats;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.RunRequest;
import org.crustyclaw.api.sandbox.SandboxBackend;
import org.crustyclaw.api.sandbox.SandboxSpec;
import org.crustyclaw.api.sandbox.Sandboxes;
import org.crustyclaw.api.sandbox.TrustTier;
import org.crustyclaw.sandbox.bwrap.BwrapBackend;
import org.crustyclaw.sandbox.docker.DockerEngine;
import org.crustyclaw.sandbox.docker.RuncBackend;
import org.crustyclaw.sandbox.docker.RunscBackend;
import org.crustyclaw.sandbox.manager.SandboxManager;

/**
 * Prints, side by side: a cold run of {@code true} through each backend against the same
 * with the raw tool, and the warm pool's acquire latency. Figures only; nothing asserted.
 */
public final class SandboxBench {

    private static final int RUNS = Integer.getInteger("bench.runs", 15);
    /** {@code -Dbench.only=bwrap}: only the bwrap cold row, no Docker, no warm pool (to iterate fast). */
    private static final String ONLY = System.getProperty("bench.only", "");

    private SandboxBench() {}

    public static void main(String[] args) throws Exception {
        Path tmp = Files.createTempDirectory("crustyclaw-bench-");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        Path ws = Files.createDirectory(tmp.resolve("ws"));
        if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0) {
            Files.setAttribute(ws, "unix:uid", 65534);
            Files.setAttribute(ws, "unix:gid", 65534);
        }
        BwrapBackend bwrap = new BwrapBackend(config(BwrapBackend.Config.class));
        DockerEngine engine = new DockerEngine(config(DockerEngine.Config.class));
        RuncBackend runc = new RuncBackend(engine);
        RunscBackend runsc = new RunscBackend(engine);

        System.out.printf(Locale.ROOT, "cold run of `true`, median of %d after 2 warm-ups (ms)%n", RUNS);
        System.out.printf(Locale.ROOT, "%-14s %10s %10s %10s %9s%n", "backend", "raw tool", "crustyclaw", "overhead",
                "percent");
        // the raw tool with the same namespaces and mounts, without what bwrap cannot do alone
        // (cgroup limits, seccomp program, dropping root): that is the overhead measured
        String w = ws.toString();
        cold(bwrap, ws, List.of("bwrap", "--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534",
                "--hostname", "sandbox", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--clearenv",
                "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib", "--symlink",
                "usr/lib64", "/lib64", "--proc", "/proc", "--dev", "/dev", "--size", "536870912", "--tmpfs", "/tmp",
                "--bind", w, w, "--chdir", w, "--remount-ro", "/", "true"));
        if (ONLY.equals("bwrap")) {
            bwrap.deactivate();
            System.exit(0);
        }
        cold(runc, ws, List.of("docker", "run", "--rm", "--network=none", "crustyclaw/base:local", "true"));
        cold(runsc, ws, List.of("docker", "run", "--rm", "--runtime=runsc", "--network=none", "crustyclaw/base:local",
                "true"));

        SandboxManager manager = new SandboxManager(config(SandboxManager.Config.class, Map.of(
                "workspaceRoot", tmp.resolve("pool").toString(), "pools", new String[] {"base@L1=2", "base@L2=2"})));
        for (SandboxBackend b : List.of(bwrap, runc, runsc)) {
            manager.addBackend(b);
        }
        var audit = new org.crustyclaw.security.audit.SqliteAuditLog(tmp.resolve("crustyclaw.db"), t -> t,
                java.time.Duration.ofSeconds(10));
        var policy = new org.crustyclaw.security.policy.PolicyService(audit, java.time.Clock.systemUTC());
        policy.apply("bench.toml", "[[policy.rules]]\nid = \"bench\"\nrole = \"operator\"\naction = \"sandbox.exec\"\n"
                + "resource = \"sandbox.*\"\neffect = \"allow\"\n");
        manager.setPolicy(policy);
        manager.setAudit(audit);
        Subject bench = new Subject("bench", Set.of("operator"), Optional.empty(), Optional.empty());
        System.out.printf(Locale.ROOT, "%nwarm pool, %d runs of `true` per level (sandbox handed out when idle)%n", RUNS);
        System.out.printf(Locale.ROOT, "%-6s %-14s %12s %12s %14s%n", "level", "backend", "acquire p50",
                "acquire p99", "run p50 (ms)");
        for (TrustTier tier : List.of(TrustTier.TRUSTED, TrustTier.INTERNAL)) {
            long[] runs = new long[RUNS];
            for (int i = 0; i < RUNS; i++) {
                awaitIdle(manager, tier);
                long t = System.nanoTime();
                Sandboxes.RunOutcome outcome = manager.run(RunRequest.of(bench, tier, List.of("true"))
                        .withLimits(limitsOfPool()), l -> { });
                runs[i] = System.nanoTime() - t;
                if (!(outcome instanceof Sandboxes.Ran ran) || !ran.pooled()) {
                    System.out.println("  not pooled: " + outcome);
                }
            }
            PoolStats stats = manager.pools().stream().filter(p -> p.level() == tier.requiredLevel()).findFirst()
                    .orElseThrow();
            System.out.printf(Locale.ROOT, "%-6s %-14s %10.2fms %10.2fms %14.1f%n", stats.level(), stats.backend(),
                    stats.acquireP50Millis(), stats.acquireP99Millis(), median(runs) / 1e6);
        }
        manager.deactivate();
        bwrap.deactivate();
        System.exit(0);
    }

    private static ResourceLimits limitsOfPool() {
        return new ResourceLimits(256L << 20, 1.0, 128, java.time.Duration.ofMinutes(5), 512L << 20);
    }

    private static void awaitIdle(SandboxManager manager, TrustTier tier) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (manager.pools().stream().anyMatch(p -> p.level() == tier.requiredLevel() && p.idle() > 0)) {
                return;
            }
            Thread.sleep(20);
        }
    }

    private static void cold(SandboxBackend backend, Path ws, List<String> raw) throws Exception {
        Optional<String> unavailable = backend.unavailableBecause();
        if (unavailable.isPresent()) {
            System.out.printf(Locale.ROOT, "%-14s unavailable: %s%n", backend.name(), unavailable.get());
            return;
        }
        long[] rawTimes = new long[RUNS];
        long[] ours = new long[RUNS];
        SandboxSpec spec = SandboxSpec.of(ws, List.of("true"));
        for (int i = -2; i < RUNS; i++) {
            long t = System.nanoTime();
            Process p = new ProcessBuilder(raw).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IOException("raw command failed: " + String.join(" ", raw));
            }
            long r = System.nanoTime() - t;
            t = System.nanoTime();
            if (!backend.run(spec, l -> { }).succeeded()) {
                throw new IOException(backend.name() + " failed to run true");
            }
            long o = System.nanoTime() - t;
            if (i >= 0) {
                rawTimes[i] = r;
                ours[i] = o;
            }
        }
        double rawMs = median(rawTimes) / 1e6;
        double oursMs = median(ours) / 1e6;
        System.out.printf(Locale.ROOT, "%-14s %10.1f %10.1f %+10.1f %+8.1f%%%n", backend.name(), rawMs, oursMs,
                oursMs - rawMs, (oursMs - rawMs) / rawMs * 100);
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static <A> A config(Class<A> type) {
        return config(type, Map.of());
    }

    /** A configuration annotation with its defaults, some overridden, as SCR would hand it over. */
    private static <A> A config(Class<A> type, Map<String, Object> overrides) {
        List<Object> unused = new ArrayList<>();
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, a) ->
                switch (method.getName()) {
                    case "annotationType" -> type;
                    case "toString" -> type.getSimpleName() + overrides + unused;
                    case "hashCode" -> overrides.hashCode();
                    case "equals" -> proxy == a[0];
                    default -> overrides.getOrDefault(method.getName(), method.getDefaultValue());
                }));
    }
}
