package org.crustyclaw.bench.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.crustyclaw.api.audit.AuditEvent;
import org.crustyclaw.api.audit.VerifyResult;
import org.crustyclaw.security.audit.SqliteAuditLog;
import org.crustyclaw.security.redact.Scrubber;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable audit events per second with 4 concurrent writers (each append returns only after
 * its group commit is synced), and the time to verify the chain afterwards.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class AuditBench {

    Path dir;
    SqliteAuditLog log;

    @Setup(Level.Trial)
    public void open() throws Exception {
        dir = Files.createTempDirectory("audit-bench");
        log = new SqliteAuditLog(dir.resolve("crustyclaw.db"), new Scrubber()::scrub, Duration.ofSeconds(30));
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        VerifyResult result = log.verify();
        System.out.println("\nchain after the run: " + result);
        log.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @Threads(4)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public AuditEvent appendDurable() throws Exception {
        return log.append("policy.decision", "bench", Map.of("action", "tool.call", "resource", "tool.echo",
                "effect", "allow", "rule", "ops-tools"));
    }

    /** Verification of a 100,000-event chain. */
    @State(Scope.Benchmark)
    public static class Filled {
        Path dir;
        SqliteAuditLog log;

        @Setup(Level.Trial)
        public void fill() throws Exception {
            dir = Files.createTempDirectory("audit-verify-bench");
            log = new SqliteAuditLog(dir.resolve("crustyclaw.db"), s -> s, Duration.ofSeconds(30));
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(64);
            java.util.List<java.util.concurrent.Future<?>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 100_000; i++) {
                int n = i;
                all.add(pool.submit(() -> log.append("sandbox.exec", "bench", Map.of("n", String.valueOf(n)))));
            }
            for (var f : all) {
                f.get();
            }
            pool.shutdown();
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            log.close();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Benchmark
    @Threads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public VerifyResult verify100k(Filled filled) {
        return filled.log.verify();
    }
}
