package org.crustyclaw.api.sandbox.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.PreparedSandbox;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.SandboxBackend;
import org.crustyclaw.api.sandbox.SandboxSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link SandboxBackend} promises, run against the real backend: output, exit
 * codes, limits, timeout, cancellation, the workspace, no network, no host files, no host
 * processes. A backend's test extends this class, returns its backend from
 * {@link #backend()} and adds the checks only it can make (capabilities, seccomp, images).
 *
 * <p>Ship it as a test dependency: {@code org.crustyclaw:org.crustyclaw.api} with
 * {@code <type>test-jar</type>}; see docs/plugin-authoring.md. Every test waits for an event
 * (a line the command prints, the run's own end); the only deadline is {@link #HANG_GUARD},
 * which fails a test that hangs instead of blocking the build.
 *
 * <p>The commands are POSIX shell (busybox is enough): {@code sh}, {@code echo}, {@code cat},
 * {@code sleep}, {@code nc}, {@code tr}, {@code grep}, {@code cut}, {@code tail}.
 */
public abstract class SandboxBackendContract {

    /** Only guards against a hang: the runs here end by themselves, by their limits or by the test. */
    protected static final Duration HANG_GUARD = Duration.ofMinutes(2);

    @TempDir
    protected Path tmp;
    /** A fresh workspace for each test, owned by {@link #workspaceOwnerUid()} when the test runs as root. */
    protected Path workspace;

    /**
     * The backend under test, the same instance for every test of a class (the subclass owns
     * its lifecycle, e.g. in {@code @BeforeAll}/{@code @AfterAll}). A test is skipped, not
     * failed, while {@link SandboxBackend#unavailableBecause()} gives a reason.
     */
    protected abstract SandboxBackend backend();

    /** The limits of every run unless a test narrows one of them. */
    protected ResourceLimits limits() {
        return new ResourceLimits(128L << 20, 1.0, 64, Duration.ofSeconds(30), 16L << 20);
    }

    /** The memory limit under which the hog must end as {@code OUT_OF_MEMORY}. */
    protected long hogMemoryBytes() {
        return 48L << 20;
    }

    /** The uid (and gid) that owns the workspace when the test runs as root; the sandbox user must write it. */
    protected int workspaceOwnerUid() {
        return 65534;
    }

    /**
     * The backend for the SIGTERM check, by default {@link #backend()}. A backend whose grace
     * period a loaded host can exhaust before the trap runs returns one with a long grace.
     */
    protected SandboxBackend patientBackend() {
        return backend();
    }

    /**
     * Checks that nothing of a timed-out or cancelled run is left, beyond the host processes
     * the contract checks itself (a container, a VM, a cgroup). Nothing by default.
     */
    protected void assertNothingLeftOf(SandboxBackend backend) {
        // the host process check in the tests covers a backend whose sandbox is a process tree
    }

    @BeforeEach
    final void requireBackendAndMakeWorkspace() throws IOException {
        SandboxBackend b = backend();
        assumeTrue(b.unavailableBecause().isEmpty(),
                () -> b.name() + " unavailable here: " + b.unavailableBecause().orElse(""));
        // the sandbox user (not the test's) must pass through the temp directory to the workspace
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        workspace = Files.createDirectory(tmp.resolve("ws"));
        if (runsAsRoot()) {
            Files.setAttribute(workspace, "unix:uid", workspaceOwnerUid());
            Files.setAttribute(workspace, "unix:gid", workspaceOwnerUid());
        }
    }

    protected static boolean runsAsRoot() throws IOException {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    /** A finished run: its result and every line it printed, in order. */
    protected record Run(ExecResult result, List<OutputLine> lines) {
        public Run {
            lines = List.copyOf(lines);
        }

        public String out() {
            return String.join("\n", lines.stream().map(OutputLine::text).toList());
        }

        public List<String> stdout() {
            return lines.stream().filter(l -> l.stream() == OutputLine.Stream.STDOUT).map(OutputLine::text).toList();
        }
    }

    /** Runs {@code sh -c script} in a fresh sandbox of {@link #backend()} with an empty environment. */
    protected Run run(ResourceLimits limits, String script) throws Exception {
        return run(backend(), limits, Map.of(), script);
    }

    protected Run run(SandboxBackend backend, ResourceLimits limits, Map<String, String> environment, String script)
            throws Exception {
        List<OutputLine> lines = Collections.synchronizedList(new ArrayList<>());
        ExecResult result = backend.run(new SandboxSpec(List.of("/bin/sh", "-c", script), workspace, environment,
                limits, "base"), lines::add);
        return new Run(result, lines);
    }

    // ---- output and exit codes ----

    @Test
    void returnsTheExitCodeAndBothStreams() throws Exception {
        Run run = run(limits(), "echo out; echo err >&2; exit 3");
        assertThat(run.result().ending()).isEqualTo(ExecResult.Ending.EXITED);
        assertThat(run.result().exitCode()).isEqualTo(3);
        assertThat(run.result().succeeded()).isFalse();
        assertThat(run.lines()).containsExactlyInAnyOrder(new OutputLine(OutputLine.Stream.STDOUT, "out"),
                new OutputLine(OutputLine.Stream.STDERR, "err"));
    }

    @Test
    void aLineLongerThan64KiBIsCutAndMarked() throws Exception {
        // sandboxed code writing without newlines must not make the host buffer without bound
        Run run = run(limits(), "head -c 200000 /dev/zero | tr '\\0' x; echo; echo after");
        assertThat(run.result().succeeded()).as("%s", run.result()).isTrue();
        String marker = " [line cut: " + (200000 - 65536) + " more bytes]";
        assertThat(run.stdout()).hasSize(2);
        assertThat(run.stdout().get(0)).hasSize(65536 + marker.length()).startsWith("xxxxxxxx").endsWith(marker);
        assertThat(run.stdout().get(1)).isEqualTo("after");
    }

    @Test
    void theOutputOfACommandThatEndsAtOnceIsNeverLost() throws Exception {
        for (int i = 0; i < 5; i++) {
            Run cold = run(limits(), "echo out-" + i + "; echo err-" + i + " >&2");
            assertThat(cold.result().succeeded()).as("run %d: %s", i, cold).isTrue();
            assertThat(cold.lines()).as("run %d", i).containsExactlyInAnyOrder(
                    new OutputLine(OutputLine.Stream.STDOUT, "out-" + i), new OutputLine(OutputLine.Stream.STDERR, "err-" + i));
        }
    }

    @Test
    void streamsEachLineWhileTheCommandRuns() throws Exception {
        // the command goes on only once the test has seen 'one' and answered with a file in the
        // workspace: lines handed over at the end would leave it waiting until its time limit
        List<OutputLine> lines = Collections.synchronizedList(new ArrayList<>());
        ExecResult result = backend().run(new SandboxSpec(List.of("/bin/sh", "-c",
                "echo one; echo oops >&2; while [ ! -e seen-one ]; do sleep 0.05; done; printf two"), workspace, Map.of(),
                limits(), "base"), l -> {
                    lines.add(l);
                    if (l.text().equals("one")) {
                        answer(workspace.resolve("seen-one"));
                    }
                });
        assertThat(result.ending()).as("TIMED_OUT: 'one' reached the test only after the command ended; %s", lines)
                .isEqualTo(ExecResult.Ending.EXITED);
        assertThat(result.succeeded()).isTrue();
        assertThat(lines).as("a last line without a newline is a line too").containsSubsequence(
                new OutputLine(OutputLine.Stream.STDOUT, "one"), new OutputLine(OutputLine.Stream.STDOUT, "two"));
        assertThat(lines).contains(new OutputLine(OutputLine.Stream.STDERR, "oops"));
    }

    /** Makes the file a command in the sandbox waits for. */
    protected static void answer(Path file) {
        try {
            Files.writeString(file, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- workspace and environment ----

    @Test
    void theWorkspaceIsSharedReadWriteAtTheSamePath() throws Exception {
        Files.writeString(workspace.resolve("input.txt"), "from host\n");
        Run run = run(limits(), "pwd; cat input.txt; echo from sandbox > output.txt");
        assertThat(run.result().succeeded()).as("%s", run).isTrue();
        assertThat(run.stdout()).containsExactly(workspace.toString(), "from host");
        assertThat(Files.readString(workspace.resolve("output.txt"))).isEqualTo("from sandbox\n");
    }

    @Test
    void theEnvironmentIsOnlyWhatWasGiven() throws Exception {
        Run run = run(backend(), limits(), Map.of("GREETING", "hi"), "env");
        assertThat(run.result().succeeded()).as("%s", run).isTrue();
        assertThat(run.stdout()).contains("GREETING=hi");
        List<String> names = run.stdout().stream().map(l -> l.substring(0, Math.max(0, l.indexOf('=')))).toList();
        // what a shell sets for itself, and nothing of the host's (HOME, USER, JAVA_HOME, MAVEN_*...)
        assertThat(names).isSubsetOf("GREETING", "PATH", "HOME", "PWD", "SHLVL", "_", "OLDPWD", "HOSTNAME", "TERM");
    }

    // ---- limits, timeout, cancellation ----

    @Test
    void aMemoryHogIsKilledAndReportedOutOfMemory() throws Exception {
        Run run = run(limits().withMemory(hogMemoryBytes()), "x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done");
        assertThat(run.result().ending()).as("%s", run).isEqualTo(ExecResult.Ending.OUT_OF_MEMORY);
        assertThat(run.result().peakMemoryBytes()).as("0 (unknown) or at most the limit")
                .isLessThanOrEqualTo(hogMemoryBytes());
    }

    @Test
    void aForkBombIsHeldAtTheProcessLimit() throws Exception {
        Run run = run(limits().withMaxProcesses(24),
                "i=0; while [ $i -lt 400 ]; do sleep 30 & i=$((i+1)); done; echo all-started");
        assertThat(run.out()).doesNotContain("all-started");
        assertThat(run.result().succeeded()).isFalse();
        assertThat(run.result().ending()).as("the run ends when its shell gives up, not at its time limit"
                + " with the sleeps held").isNotEqualTo(ExecResult.Ending.TIMED_OUT);
    }

    @Test
    void theTimeoutKillsTheWholeTree() throws Exception {
        Run run = run(limits().withTimeout(Duration.ofSeconds(2)), "echo started; sleep 61.25 & sleep 61.25 & wait");
        assertThat(run.result().ending()).isEqualTo(ExecResult.Ending.TIMED_OUT);
        assertThat(run.stdout()).contains("started");
        assertThat(hostProcessesWith("61.25")).as("host processes of the timed-out run").isZero();
        assertNothingLeftOf(backend());
    }

    @Test
    protected void cancellingSendsSigtermFirst() throws Exception {
        SandboxBackend patient = patientBackend();
        Run run = cancelAfterReady(patient, "trap 'echo got-term; exit 3' TERM; echo ready; while true; do sleep 0.1; done");
        assertThat(run.result().ending()).isEqualTo(ExecResult.Ending.CANCELLED);
        assertThat(run.stdout()).contains("got-term");
        assertNothingLeftOf(patient);
    }

    @Test
    void cancellingKillsWhatIgnoresSigterm() throws Exception {
        Run run = cancelAfterReady(backend(), "trap '' TERM; echo ready; while true; do sleep 0.1; done # ignores-term-4711");
        assertThat(run.result().ending()).isEqualTo(ExecResult.Ending.CANCELLED);
        assertThat(hostProcessesWith("ignores-term-4711")).as("the shell that ignored SIGTERM was killed").isZero();
        assertNothingLeftOf(backend());
    }

    /** Starts the script on a thread of its own and interrupts that thread once the script printed {@code ready}. */
    protected Run cancelAfterReady(SandboxBackend backend, String script) throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        List<OutputLine> lines = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<ExecResult> result = new CompletableFuture<>();
        // the run's own limit is far beyond the hang guard: ending before it is the cancel
        ResourceLimits longRun = limits().withTimeout(HANG_GUARD.multipliedBy(2));
        Thread runner = new Thread(() -> {
            try {
                result.complete(backend.run(new SandboxSpec(List.of("/bin/sh", "-c", script), workspace, Map.of(),
                        longRun, "base"), l -> {
                            lines.add(l);
                            if (l.text().equals("ready")) {
                                ready.countDown();
                            }
                        }));
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        }, "contract-cancel");
        runner.start();
        assertThat(ready.await(HANG_GUARD.toSeconds(), TimeUnit.SECONDS)).as("the command started: %s", lines).isTrue();
        runner.interrupt();
        return new Run(result.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS), lines);
    }

    @Test
    void aPreparedSandboxRunsOneCommandOnly() throws Exception {
        try (PreparedSandbox sandbox = backend().prepare(workspace, limits(), "base")) {
            assertThat(sandbox.backend()).isEqualTo(backend().name());
            assertThat(sandbox.workspace()).isEqualTo(workspace);
            List<OutputLine> lines = Collections.synchronizedList(new ArrayList<>());
            assertThat(sandbox.exec(List.of("/bin/sh", "-c", "echo prepared"), Map.of(), lines::add).succeeded()).isTrue();
            assertThat(lines).containsExactly(new OutputLine(OutputLine.Stream.STDOUT, "prepared"));
            assertThatThrownBy(() -> sandbox.exec(List.of("true"), Map.of(), l -> {}))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("never reused");
        }
    }

    // ---- escape attempts: each must fail ----

    @Test
    void cannotReadHostFilesOrTheDaemonsSecretsAndSocket() throws Exception {
        Path secret = Files.writeString(tmp.resolve("host-secret.txt"), "HOST-SECRET-7731\n");
        Path state = Files.createDirectory(tmp.resolve("state"));
        Files.writeString(state.resolve("secrets.key"), "DAEMON-KEY-5521\n");
        Path socket = state.resolve("admin.sock");
        try (ServerSocketChannel admin = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            admin.bind(UnixDomainSocketAddress.of(socket));
            Run run = run(limits(), "cat " + secret + " " + state + "/secrets.key /etc/shadow /root/.bash_history;"
                    + " test -e " + secret + " && echo SECRET-VISIBLE; test -S " + socket + " && echo SOCKET-VISIBLE;"
                    + " test -S /var/run/docker.sock && echo DOCKER-VISIBLE; true");
            assertThat(run.out()).doesNotContain("HOST-SECRET-7731").doesNotContain("DAEMON-KEY-5521")
                    .doesNotContain("SECRET-VISIBLE").doesNotContain("SOCKET-VISIBLE").doesNotContain("DOCKER-VISIBLE")
                    .doesNotContain("root:");
        }
    }

    @Test
    void cannotReachTheNetwork() throws Exception {
        List<String> hostAddresses = hostAddresses();
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getByName("0.0.0.0"))) {
            AtomicInteger accepted = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                try {
                    server.accept().close();
                    accepted.incrementAndGet();
                } catch (IOException e) {
                    // closed at the end of the test
                }
            }, "contract-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            StringBuilder script = new StringBuilder("nc=nc; command -v nc >/dev/null || nc='busybox nc';");
            for (String address : hostAddresses) {
                script.append(" echo hi | $nc -w 2 ").append(address).append(' ').append(server.getLocalPort())
                        .append(" && echo CONNECTED ").append(address).append(';');
            }
            script.append(" tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sed 's/^/IF=/'");
            Run run = run(limits(), script.toString());
            assertThat(run.out()).doesNotContain("CONNECTED");
            assertThat(run.stdout().stream().filter(l -> l.startsWith("IF="))).as(run.out()).containsExactly("IF=lo");
            assertThat(accepted).as("connections the host's listener accepted").hasValue(0);
        }
    }

    @Test
    void cannotSeeHostProcesses() throws Exception {
        Process marker = new ProcessBuilder("sleep", "63.5").start();
        try {
            // user-space processes only (a VM's kernel threads have an empty command line)
            Run run = run(limits(), "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < $f; echo; done > procs;"
                    + " cat procs; echo COUNT=$(grep -c . procs)");
            assertThat(run.out()).doesNotContain("63.5");
            String count = run.stdout().stream().filter(l -> l.startsWith("COUNT=")).findFirst().orElseThrow();
            // the host runs hundreds (build, daemons, other tests); a sandbox sees its own few
            assertThat(Integer.parseInt(count.substring(6))).as(run.out()).isLessThan(20);
        } finally {
            marker.destroyForcibly().waitFor();
        }
    }

    /** The IPv4 addresses of the host's interfaces other than loopback (bridges included). */
    protected static List<String> hostAddresses() throws IOException {
        List<String> addresses = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        addresses.add(a.getHostAddress());
                    }
                }
            }
        }
        assumeTrue(!addresses.isEmpty(), "no non-loopback IPv4 address on this host to try");
        return addresses;
    }

    /** Host processes whose command line contains the marker. */
    protected static long hostProcessesWith(String marker) {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false))
                .count();
    }
}
