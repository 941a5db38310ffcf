package org.crustyclaw.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
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
import org.crustyclaw.api.sandbox.IsolationLevel;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.PreparedSandbox;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.SandboxBackend;
import org.crustyclaw.api.sandbox.SandboxSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real dockerd with runc and with runsc: what a skill inside can and cannot do. */
class DockerBackendTest {

    /** Only guards against a hang: the runs here end by themselves, by their limits or by the test. */
    private static final long HANG_GUARD_SECONDS = 120;
    private static DockerEngine engine;
    private static RuncBackend runc;
    private static RunscBackend runsc;
    private static final ResourceLimits LIMITS = new ResourceLimits(128L << 20, 1.0, 64, Duration.ofSeconds(30),
            16L << 20);

    @TempDir
    Path tmp;
    Path workspace;

    @BeforeAll
    static void activate() {
        engine = new DockerEngine(Defaults.of(DockerEngine.Config.class, Map.of()));
        runc = new RuncBackend(engine);
        runsc = new RunscBackend(engine);
    }

    @AfterAll
    static void deactivate() throws IOException {
        engine.deactivate();
    }

    @BeforeEach
    void makeWorkspace() throws IOException {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        workspace = Files.createDirectory(tmp.resolve("ws"));
        if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0) {
            Files.setAttribute(workspace, "unix:uid", 65534);
            Files.setAttribute(workspace, "unix:gid", 65534);
        }
    }

    private static SandboxBackend backend(String name) {
        SandboxBackend b = name.equals("docker-runc") ? runc : runsc;
        assumeTrue(b.unavailableBecause().isEmpty(), () -> name + " unavailable here: " + b.unavailableBecause().orElse(""));
        return b;
    }

    private Run run(String backend, ResourceLimits limits, String script) throws Exception {
        List<OutputLine> lines = Collections.synchronizedList(new ArrayList<>());
        ExecResult result = backend(backend).run(new SandboxSpec(List.of("sh", "-c", script), workspace, Map.of(),
                limits, "base"), lines::add);
        return new Run(result, List.copyOf(lines));
    }

    record Run(ExecResult result, List<OutputLine> lines) {
        String out() {
            return String.join("\n", lines.stream().map(OutputLine::text).toList());
        }
    }

    @Test
    void registersRuncAtL1AndRunscAtL2() {
        assertThat(runc.name()).isEqualTo("docker-runc");
        assertThat(runc.level()).isEqualTo(IsolationLevel.L1);
        assertThat(runsc.name()).isEqualTo("docker-runsc");
        assertThat(runsc.level()).isEqualTo(IsolationLevel.L2);
        assertThat(runsc.pidsLimit(24)).isGreaterThan(100);
    }

    @Test
    void saysWhyWhenTheEngineIsNotThere() throws IOException {
        DockerEngine nowhere = new DockerEngine(Defaults.of(DockerEngine.Config.class,
                Map.of("host", "unix://" + tmp.resolve("no-docker.sock"))));
        try {
            assertThat(new RuncBackend(nowhere).unavailableBecause()).hasValueSatisfying(r ->
                    assertThat(r).contains("does not answer").contains("no-docker.sock"));
        } finally {
            nowhere.deactivate();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-runc", "docker-runsc"})
    void streamsEachLineWhileTheCommandRuns(String backend) throws Exception {
        // the command goes on only once the test has seen 'one' and answered with a file in the
        // workspace: lines handed over at the end would leave it waiting until its time limit
        List<OutputLine> lines = Collections.synchronizedList(new ArrayList<>());
        ExecResult result = backend(backend).run(new SandboxSpec(List.of("sh", "-c",
                "echo one; echo oops >&2; while [ ! -e seen-one ]; do sleep 0.05; done; printf two"), workspace, Map.of(),
                LIMITS, "base"), l -> {
                    lines.add(l);
                    if (l.text().equals("one")) {
                        answer(workspace.resolve("seen-one"));
                    }
                });
        assertThat(result.ending()).as("TIMED_OUT: 'one' reached the test only after the command ended; %s", lines)
                .isEqualTo(ExecResult.Ending.EXITED);
        assertThat(result.succeeded()).isTrue();
        assertThat(lines).containsSubsequence(new OutputLine(OutputLine.Stream.STDOUT, "one"),
                new OutputLine(OutputLine.Stream.STDOUT, "two"));
        assertThat(lines).contains(new OutputLine(OutputLine.Stream.STDERR, "oops"));
    }

    /** Makes the file a command in the sandbox waits for. */
    static void answer(Path file) {
        try {
            Files.writeString(file, "");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-runc", "docker-runsc"})
    void workspaceIsWritableAtTheSamePathAndTheEnvironmentIsOnlyWhatWasGiven(String backend) throws Exception {
        List<OutputLine> lines = new ArrayList<>();
        ExecResult result = backend(backend).run(new SandboxSpec(List.of("sh", "-c", "pwd; echo made > out.txt; id -u; env"),
                workspace, Map.of("GREETING", "hi"), LIMITS, "base"), lines::add);
        assertThat(result.exitCode()).isZero();
        assertThat(Files.readString(workspace.resolve("out.txt"))).isEqualTo("made\n");
        List<String> text = lines.stream().map(OutputLine::text).toList();
        assertThat(text.get(0)).isEqualTo(workspace.toString());
        assertThat(text.get(1)).isNotEqualTo("0");
        assertThat(text).contains("GREETING=hi");
        List<String> names = text.stream().skip(2).map(l -> l.substring(0, Math.max(0, l.indexOf('=')))).toList();
        assertThat(names).isSubsetOf("GREETING", "PATH", "HOME", "PWD", "SHLVL", "HOSTNAME", "OLDPWD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-runc", "docker-runsc"})
    void memoryHogIsKilledAndReportedOutOfMemory(String backend) throws Exception {
        Run run = run(backend, LIMITS.withMemory(48L << 20), "x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done");
        assertThat(run.result().ending()).isEqualTo(ExecResult.Ending.OUT_OF_MEMORY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-runc", "docker-runsc"})
    void forkBombIsHeldAtTheProcessLimit(String backend) throws Exception {
        Run run = run(backend, LIMITS.withMaxProcesses(24),
                "i=0; while [ $i -lt 400 ]; do sleep 30 & i=$((i+1)); done; echo all-started");
        assertThat(run.out()).doesNotContain("all-started");
        assertThat(run.result().succeeded()).isFalse();
        assertThat(run.result().ending()).as("the run ends when its shell gives up, not at its time limit"
                + " with the sleeps held").isNotEqualTo(ExecResult.Ending.TIMED_OUT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-runc", "docker-runsc"})
    void timeoutKillsTheWholeTree(String backend) throws Exception {
        Run run = run(backend, LIMITS.withTimeout(Duration.ofSeconds(2)), "sleep 61.25 & sleep 61.25 & wait");
        assertThat(run.result().ending()).isEqualTo(ExecResult.Ending.TIMED_OUT);
        assertThat(ProcessHandle.allProcesses().filter(h -> h.info().arguments()
                .map(a -> String.join(" ", a).contains("61.25")).orElse(false)).count()).isZero();
        assertThat(engine.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("org.crustyclaw.sandbox", backend)).exec()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-runc", "docker-runsc"})
    void cancellingSendsSigtermFirst(String backend) throws Exception {
        backend(backend);
        // a loaded two-core host can take seconds to start the SIGTERM exec and run the trap: a grace that no
        // busy machine exhausts, so a missing line means the signal never came, not that the host was slow
        DockerEngine patient = new DockerEngine(Defaults.of(DockerEngine.Config.class, Map.of("graceMillis", 60000L)));
        try {
            SandboxBackend b = backend.equals("docker-runc") ? new RuncBackend(patient) : new RunscBackend(patient);
            Cancelled run = cancelAfterReady(b,
                    "trap 'echo got-term; exit 3' TERM; echo ready; while true; do sleep 0.1; done");
            assertThat(run.result().ending()).isEqualTo(ExecResult.Ending.CANCELLED);
            assertThat(run.lines()).extracting(OutputLine::text).contains("got-term");
        } finally {
            patient.deactivate();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-runc", "docker-runsc"})
    void cancellingKillsWhatIgnoresSigterm(String backend) throws Exception {
        Cancelled run = cancelAfterReady(backend(backend), "trap '' TERM; echo ready; while true; do sleep 0.1; done");
        assertThat(run.result().ending()).isEqualTo(ExecResult.Ending.CANCELLED);
        assertThat(engine.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("org.crustyclaw.sandbox", backend)).exec()).isEmpty();
    }

    record Cancelled(ExecResult result, List<OutputLine> lines) {}

    private Cancelled cancelAfterReady(SandboxBackend b, String script) throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        List<OutputLine> lines = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<ExecResult> result = new CompletableFuture<>();
        Thread runner = new Thread(() -> {
            try {
                result.complete(b.run(new SandboxSpec(List.of("sh", "-c", script), workspace, Map.of(), LIMITS, "base"),
                        l -> {
                            lines.add(l);
                            if (l.text().equals("ready")) {
                                ready.countDown();
                            }
                        }));
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        runner.start();
        assertThat(ready.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS)).as("the command started").isTrue();
        runner.interrupt();
        return new Cancelled(result.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS), List.copyOf(lines));
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-runc", "docker-runsc"})
    void aPreparedSandboxRunsOneCommandOnly(String backend) throws Exception {
        try (PreparedSandbox sandbox = backend(backend).prepare(workspace, LIMITS, "base")) {
            assertThat(sandbox.exec(List.of("true"), Map.of(), l -> {}).succeeded()).isTrue();
            assertThatThrownBy(() -> sandbox.exec(List.of("true"), Map.of(), l -> {}))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("never reused");
        }
    }

    // ---- escape attempts: each must fail ----

    @ParameterizedTest
    @ValueSource(strings = {"docker-runc", "docker-runsc"})
    void cannotReadAHostFileOrTheDaemonsSecretsAndSocket(String backend) throws Exception {
        Path secret = Files.writeString(tmp.resolve("host-secret.txt"), "HOST-SECRET-7731\n");
        Path state = Files.createDirectory(tmp.resolve("state"));
        Files.writeString(state.resolve("secrets.key"), "DAEMON-KEY-5521\n");
        Path socket = state.resolve("admin.sock");
        try (ServerSocketChannel admin = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            admin.bind(UnixDomainSocketAddress.of(socket));
            Run run = run(backend, LIMITS, "cat " + secret + " " + state + "/secrets.key /etc/shadow;"
                    + " test -S " + socket + " && echo SOCKET-VISIBLE; test -S /var/run/docker.sock && echo DOCKER-VISIBLE;"
                    + " true");
            assertThat(run.out()).doesNotContain("HOST-SECRET-7731").doesNotContain("DAEMON-KEY-5521")
                    .doesNotContain("SOCKET-VISIBLE").doesNotContain("DOCKER-VISIBLE");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-runc", "docker-runsc"})
    void cannotWriteTheReadOnlyRoot(String backend) throws Exception {
        Run run = run(backend, LIMITS, "for f in /bin/cc-evil /etc/cc-evil /cc-evil; do touch $f && echo WROTE $f; done;"
                + " awk '$2 == \"/\" { print \"ROOT=\" $4 }' /proc/mounts");
        assertThat(run.out()).doesNotContain("WROTE");
        assertThat(run.out().lines().filter(l -> l.startsWith("ROOT="))).allMatch(l -> l.startsWith("ROOT=ro"))
                .isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-runc", "docker-runsc"})
    void cannotReachTheNetwork(String backend) throws Exception {
        String hostIp = hostAddress();
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getByName("0.0.0.0"))) {
            AtomicInteger accepted = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                try {
                    server.accept().close();
                    accepted.incrementAndGet();
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Run run = run(backend, LIMITS, "echo hi | nc -w 2 " + hostIp + " " + server.getLocalPort()
                    + " && echo CONNECTED; echo hi | nc -w 2 172.17.0.1 " + server.getLocalPort() + " && echo CONNECTED;"
                    + " tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sed 's/^/IF=/'");
            assertThat(run.out()).doesNotContain("CONNECTED");
            assertThat(run.out().lines().filter(l -> l.startsWith("IF="))).as(run.out()).containsExactly("IF=lo");
            assertThat(accepted).hasValue(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-runc", "docker-runsc"})
    void cannotSeeHostProcesses(String backend) throws Exception {
        Process marker = new ProcessBuilder("sleep", "63.5").start();
        try {
            Run run = run(backend, LIMITS, "cat /proc/[0-9]*/cmdline | tr '\\0' ' '; echo; ls /proc | grep -c '^[0-9]'");
            assertThat(run.out()).doesNotContain("63.5");
            String[] out = run.out().split("\n");
            assertThat(Integer.parseInt(out[out.length - 1].trim())).isLessThan(10);
        } finally {
            marker.destroyForcibly();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-runc", "docker-runsc"})
    void holdsNoCapabilitiesAndCannotMountOrLoadModules(String backend) throws Exception {
        Files.write(workspace.resolve("evil.ko"), new byte[4096]);
        Run run = run(backend, LIMITS, "grep -E '^(CapPrm|CapEff|CapBnd|NoNewPrivs):' /proc/self/status;"
                + " chown 0 . && echo CHOWNED; mount -t tmpfs none /tmp && echo MOUNTED;"
                + " unshare -U true && echo UNSHARED; insmod ./evil.ko && echo LOADED; true");
        assertThat(run.out()).contains("CapEff:\t0000000000000000", "CapPrm:\t0000000000000000")
                .doesNotContain("CHOWNED").doesNotContain("MOUNTED").doesNotContain("LOADED");
        if (backend.equals("docker-runc")) {
            // under runsc a user namespace lives inside gVisor's own kernel; on the host kernel it must not exist
            assertThat(run.out()).doesNotContain("UNSHARED");
        }
    }

    static String hostAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback() && !nic.getName().startsWith("docker")) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        }
        throw new IllegalStateException("no non-loopback IPv4 address on this host");
    }
}
