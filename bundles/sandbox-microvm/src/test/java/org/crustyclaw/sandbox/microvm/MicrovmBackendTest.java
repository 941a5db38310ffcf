package org.crustyclaw.sandbox.microvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.PoolStats;
import org.crustyclaw.api.sandbox.PreparedSandbox;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.SandboxSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots real QEMU microVMs under TCG with the assets of scripts/setup-sandbox-host.sh. Each test
 * waits for its event; the timeout only guards against a hang (a VM that never ends).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MicrovmBackendTest {

    private static final ResourceLimits LIMITS = ResourceLimits.DEFAULT.withTimeout(Duration.ofSeconds(30));
    private static MicrovmBackend backend;

    @TempDir
    Path temp;
    private Path workspace;
    private final List<OutputLine> lines = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void requireQemuAndGuest() {
        Settings settings = Settings.defaults().withAccel("tcg").withBootTimeout(Duration.ofSeconds(60));
        backend = new MicrovmBackend(settings);
        assumeTrue(backend.unavailableBecause().isEmpty(),
                () -> "microVM backend unavailable: " + backend.unavailableBecause().orElseThrow());
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.deactivate();
        }
    }

    @BeforeEach
    void workspace() throws IOException {
        workspace = Files.createDirectory(temp.resolve("ws"));
        ownByUnprivilegedUser(workspace);
    }

    @AfterEach
    void noQemuLeftBehind() {
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .map(p -> p.info().command().orElse("?")).toList())
                .as("processes left running after the test").isEmpty();
    }

    /** The guest user takes the workspace owner's uid; a root-owned one would not be writable to it. */
    static void ownByUnprivilegedUser(Path dir) throws IOException {
        if (Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
            Files.setAttribute(dir, "unix:uid", 1000);
            Files.setAttribute(dir, "unix:gid", 1000);
        }
    }

    private ExecResult sh(String script, ResourceLimits limits) throws Exception {
        return backend.run(new SandboxSpec(List.of("/bin/sh", "-c", script), workspace, Map.of("GREETING", "hi"),
                limits, "base"), lines::add);
    }

    /** The QEMU processes this JVM started, by pid. */
    private static List<Long> qemuProcesses() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().orElse("").contains("qemu")).map(ProcessHandle::pid).toList();
    }

    private List<String> stdout() {
        return lines.stream().filter(l -> l.stream() == OutputLine.Stream.STDOUT).map(OutputLine::text).toList();
    }

    @Test
    void streamsStdoutAndStderrAndReturnsTheExitCode() throws Exception {
        ExecResult result = sh("echo hello; echo err >&2; echo \"$GREETING\"; exit 3", LIMITS);

        assertThat(result.ending()).isEqualTo(ExecResult.Ending.EXITED);
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(lines).contains(new OutputLine(OutputLine.Stream.STDOUT, "hello"),
                new OutputLine(OutputLine.Stream.STDERR, "err"), new OutputLine(OutputLine.Stream.STDOUT, "hi"));
    }

    @Test
    void filesWrittenInTheWorkspaceAppearOnTheHostAndTheGuestRunsItsOwnKernel() throws Exception {
        Files.writeString(workspace.resolve("input.txt"), "from host\n");
        ExecResult result = sh("pwd; uname -r; cat input.txt; echo from guest > output.txt", LIMITS);

        assertThat(result.succeeded()).as("result %s, output %s", result, lines).isTrue();
        assertThat(stdout()).contains(workspace.toString(), "from host");
        assertThat(Files.readString(workspace.resolve("output.txt"))).isEqualTo("from guest\n");
    }

    @Test
    void theBootWatchdogKillsAVmThatDoesNotBecomeReady() {
        MicrovmBackend impatient = new MicrovmBackend(
                Settings.defaults().withAccel("tcg").withBootTimeout(Duration.ofMillis(300)));
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> impatient.run(SandboxSpec.of(workspace,
                    List.of("true")), lines::add))
                    .isInstanceOf(org.crustyclaw.api.sandbox.SandboxException.class)
                    // the watchdog fires in whichever boot phase 300 ms ends: QEMU's socket or the guest agent
                    .hasMessageFindingMatch("did not boot within|did not open its agent socket .* in time");
        } finally {
            impatient.deactivate();
        }
    }

    @Test
    void theTimeoutKillsTheCommandAndReportsTimedOut() throws Exception {
        ExecResult result = sh("echo started; sleep 600", ResourceLimits.DEFAULT.withTimeout(Duration.ofSeconds(2)));

        assertThat(result.ending()).isEqualTo(ExecResult.Ending.TIMED_OUT);
        assertThat(stdout()).contains("started");
    }

    @Test
    void interruptingTheCallerCancelsTheRun() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                outcome.set(backend.run(new SandboxSpec(List.of("/bin/sh", "-c", "echo running; sleep 600"),
                        workspace, Map.of(), LIMITS.withTimeout(Duration.ofMinutes(5)), "base"), line -> {
                            if (line.text().equals("running")) {
                                running.countDown();
                            }
                        }));
            } catch (Exception e) {
                outcome.set(e);
            }
        });
        caller.start();
        assertThat(running.await(Await.HANG_GUARD.toSeconds(), TimeUnit.SECONDS)).as("the command started").isTrue();
        caller.interrupt();
        caller.join(Await.HANG_GUARD.toMillis()); // the run's own limit is 5 minutes: ending before it is the cancel

        assertThat(caller.isAlive()).as("the run ended after the interrupt").isFalse();
        assertThat(outcome.get()).isInstanceOfSatisfying(ExecResult.class,
                r -> assertThat(r.ending()).isEqualTo(ExecResult.Ending.CANCELLED));
    }

    @Test
    void escapeAttemptsFailInsideTheVm() throws Exception {
        Path secret = Files.writeString(temp.resolve("host-secret.txt"), "s3cret");
        Process marker = new ProcessBuilder("sleep", "1234.5").start();
        try {
            ExecResult result = sh(String.join("\n",
                    "id -u",
                    "test -e " + secret + " && echo secret=visible || echo secret=absent",
                    "grep -rqs s3cret /etc /root /tmp && echo secret-content=found || echo secret-content=none",
                    "echo net=$(ls /sys/class/net | tr '\\n' ' ')",
                    "nc -w 3 1.1.1.1 80 </dev/null >/dev/null 2>&1 && echo connect=ok || echo connect=failed",
                    "wget -q -T 3 -O /dev/null http://10.0.2.2/ 2>/dev/null && echo wget=ok || echo wget=failed",
                    "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < $f; echo; done | grep -q '^sleep 1234'"
                            + " && echo host-process=seen || echo host-process=unseen",
                    "insmod /lib/cc-modules/9p.ko 2>/dev/null && echo insmod=ok || echo insmod=denied",
                    "mkdir -p /tmp/m; mount -t tmpfs none /tmp/m 2>/dev/null && echo mount=ok || echo mount=denied"),
                    LIMITS);

            assertThat(result.ending()).isEqualTo(ExecResult.Ending.EXITED);
            assertThat(stdout()).doesNotContain("0").contains("secret=absent", "secret-content=none",
                    "net=lo", "connect=failed", "wget=failed", "host-process=unseen", "insmod=denied",
                    "mount=denied");
        } finally {
            marker.destroyForcibly().waitFor();
        }
    }

    @Test
    void theGuestOomKillerEndsTheRunAsOutOfMemory() throws Exception {
        // eight 24 MiB buffers do not fit in a 128 MiB VM: the guest kernel has to kill one
        ExecResult result = sh(String.join("\n", "echo hog", "pids=",
                "for i in 1 2 3 4 5 6 7 8; do",
                "  (head -c 30m /dev/zero | tail -c 24m > /dev/null) & pids=\"$pids $!\"",
                "done",
                "failed=0; for p in $pids; do wait $p || failed=1; done",
                "[ $failed = 0 ] && echo survived", "exit $failed"),
                LIMITS.withMemory(128L << 20).withTimeout(Duration.ofSeconds(60)));

        assertThat(result.ending()).as("%s %s", result, lines).isEqualTo(ExecResult.Ending.OUT_OF_MEMORY);
        assertThat(stdout()).contains("hog").doesNotContain("survived");
    }

    @Test
    void warmPoolHandsOutBootedVmsOnceAndRefills() throws Exception {
        Path root = temp.resolve("pool");
        MicrovmBackend pooled = new MicrovmBackend(
                Settings.defaults().withAccel("tcg").withBootTimeout(Duration.ofSeconds(60)).withPool(1, root));
        try {
            Await.until("a VM booted into the pool", pooled::poolStats, s -> s.idle() == 1);
            List<Long> bootedBefore = qemuProcesses();
            assertThat(bootedBefore).as("the idle VM's QEMU").hasSize(1);

            Path ws;
            try (PreparedSandbox vm = pooled.acquire(LIMITS)) {
                ws = vm.workspace();
                assertThat(ws).startsWith(root);
                ExecResult result = vm.exec(List.of("/bin/sh", "-c", "echo pooled > out.txt; echo done"), Map.of(),
                        lines::add);
                assertThat(result.succeeded()).as("%s %s", result, lines).isTrue();
                assertThat(Files.readString(ws.resolve("out.txt"))).isEqualTo("pooled\n");
                assertThat(pooled.poolStats().inUse()).isEqualTo(1);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> vm.exec(List.of("true"), Map.of(), l -> {}))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("never reused");
            }
            // a used VM is destroyed: the one that goes is the VM booted before acquire, so acquire skipped the boot
            Await.until("the handed-out VM (QEMU pid " + bootedBefore.get(0) + ") is destroyed after its command",
                    () -> ProcessHandle.of(bootedBefore.get(0)).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
            PoolStats stats = pooled.poolStats();
            assertThat(stats.backend()).isEqualTo("qemu-microvm");
            assertThat(stats.handedOut()).isEqualTo(1);
            assertThat(stats.inUse()).isZero();
            assertThat(stats.idle() + stats.starting()).as("the pool refills").isEqualTo(1);
            assertThat(stats.acquireP50Millis()).isGreaterThan(0);
        } finally {
            pooled.deactivate();
        }
    }
}
