package org.crustyclaw.bench.security;

import java.util.concurrent.TimeUnit;

import org.crustyclaw.config.toml.Toml;
import org.crustyclaw.config.toml.TomlException;
import org.crustyclaw.config.toml.TomlTable;
import org.crustyclaw.security.redact.RedactionService;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The large inputs the unit tests only bound against hangs (TomlLimitsTest, RedactionTest):
 * parsing a one-million-element TOML array, and scrubbing 300 KB holding a private key block
 * and a bearer token. Milliseconds per operation, printed, never asserted.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LargeInputBench {

    String array;
    String secrets;
    RedactionService redaction;

    @Setup
    public void setUp() {
        array = "a = [" + "1, ".repeat(1_000_000) + "]";
        secrets = "-----BEGIN PRIVATE KEY-----" + "A".repeat(200_000) + " Bearer " + "x".repeat(100_000);
        redaction = new RedactionService();
    }

    @Benchmark
    public TomlTable parseMillionElementArray() throws TomlException {
        return Toml.parse(array, "bench.toml");
    }

    @Benchmark
    public String scrubHugeInput() {
        return redaction.scrub(secrets);
    }
}
