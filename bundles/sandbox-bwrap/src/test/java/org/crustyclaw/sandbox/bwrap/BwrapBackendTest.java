package org.crustyclaw.sandbox.bwrap;

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
import org.crustyclaw.api.sandbox.SandboxSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real bwrap, real cgroups: what a skill inside can and cannot do. */
class BwrapBackendTest {

    /** Only guards against a hang: the runs here end by themselves, by their limits or by the test. */
    private static final long HANG_GUARD_SECONDS = 120;
    private static BwrapBackend backend;
    private static final ResourceLimits LIMITS = new ResourceLimits(128L << 20, 1.0, 64, Duration.ofSeconds(20),
            16L << 20);

    @TempDir
    Path tmp;
    Path workspace;

    @BeforeAll
    static void activate() throws IOException {
        backend = new BwrapBackend(Defaults.of(BwrapBackend.Config.class, Map.of()));
        assumeTrue(backend.unavailableBecause().isEmpty(),
                () -> "bwrap backend unavailable here: " + backend.unavailableBecause().orElse(""));
    }

    @AfterAll
    static void deactivate() throws IOException {
        backend.deactivate();
    }

    @BeforeEach
    void makeWorkspace() throws IOException {
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        workspace = Files.createDirectory(tmp.resolve("ws"));
        giveToSandboxUser(workspace);
    }

    static void giveToSandboxUser(Path dir) throws IOException {
        if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0) {
            Files.setAttribute(dir, "unix:uid", 65534);
            Files.setAttribute(dir, "unix:gid", 65534);
        }
    }

    private Run run(ResourceLimits limits, String script) throws Exception {
        List<OutputLine> lines = Collections.synchronizedList(new ArrayList<>());
        ExecResult result = backend.run(new SandboxSpec(List.of("/bin/sh", "-c", script), workspace, Map.of(), limits,
                "base"), lines::add);
        return new Run(result, List.copyOf(lines));
    }

    record Run(ExecResult result, List<OutputLine> lines) {
        String out() {
            return String.join("\n", lines.stream().map(OutputLine::text).toList());
        }
    }

    @Test
    void theOutputOfACommandThatEndsAtOnceIsNeverLost() throws Exception {
        for (int i = 0; i < 25; i++) {
            Run cold = run(LIMITS, "echo out-" + i + "; echo err-" + i + " >&2");
            assertThat(cold.lines()).as("cold run %d", i).containsExactlyInAnyOrder(
                    new OutputLine(OutputLine.Stream.STDOUT, "out-" + i), new OutputLine(OutputLine.Stream.STDERR, "err-" + i));
            List<OutputLine> lines = Collections.synchronizedList(new ArrayList<>());
            try (var prepared = backend.prepare(workspace, LIMITS, "base")) {
                prepared.exec(List.of("/bin/sh", "-c", "echo warm-" + i), Map.of(), lines::add);
            }
            assertThat(lines).as("prepared run %d", i).containsExactly(new OutputLine(OutputLine.Stream.STDOUT, "warm-" + i));
        }
    }

    @Test
    void streamsEachLineWhileTheCommandRuns() throws Exception {
        // the command goes on only once the test has seen 'one' and answered with a file: lines
        // handed over at the end would leave it waiting until its time limit
        List<OutputLine> lines = Collections.synchronizedList(new ArrayList<>());
        ExecResult result = backend.run(new SandboxSpec(List.of("/bin/sh", "-c",
                "echo one; echo oops >&2; while [ ! -e seen-one ]; do sleep 0.05; done; echo two"), workspace, Map.of(),
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

    @Test
    void workspaceIsWritableAtTheSamePathAndTheEnvironmentIsOnlyWhatWasGiven() throws Exception {
        List<OutputLine> lines = new ArrayList<>();
        ExecResult result = backend.run(new SandboxSpec(List.of("/bin/sh", "-c", "pwd; echo made > out.txt; env"),
                workspace, Map.of("GREETING", "hi"), LIMITS, "base"), lines::add);
        assertThat(result.exitCode()).isZero();
        assertThat(Files.readString(workspace.resolve("out.txt"))).isEqualTo("made\n");
        List<String> text = lines.stream().map(OutputLine::text).toList();
        assertThat(text.get(0)).isEqualTo(workspace.toString());
        assertThat(text).contains("GREETING=hi");
        List<String> names = text.stream().skip(1).map(l -> l.substring(0, Math.max(0, l.indexOf('=')))).toList();
        assertThat(names).isSubsetOf("GREETING", "PATH", "HOME", "PWD", "SHLVL", "_", "OLDPWD");
    }

    @Test
    void memoryHogIsKilledAndReportedOutOfMemory() throws Exception {
        Run run = run(LIMITS.withMemory(48L << 20), "x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done");
        assertThat(run.result().ending()).isEqualTo(ExecResult.Ending.OUT_OF_MEMORY);
        assertThat(run.result().peakMemoryBytes()).isGreaterThan(32L << 20).isLessThanOrEqualTo(48L << 20);
    }

    @Test
    void forkBombIsHeldAtTheProcessLimit() throws Exception {
        Run run = run(LIMITS.withMaxProcesses(24),
                "i=0; while [ $i -lt 200 ]; do sleep 30 & i=$((i+1)); done; echo all-started");
        assertThat(run.out()).doesNotContain("all-started").containsIgnoringCase("fork");
        assertThat(run.result().succeeded()).isFalse();
        assertThat(run.result().ending()).as("the run ends when its shell gives up, not at its time limit"
                + " with the sleeps held").isEqualTo(ExecResult.Ending.EXITED);
    }

    @Test
    void timeoutKillsTheWholeTree() throws Exception {
        Run run = run(LIMITS.withTimeout(Duration.ofSeconds(1)), "sleep 61.25 & sleep 61.25 & wait");
        assertThat(run.result().ending()).isEqualTo(ExecResult.Ending.TIMED_OUT);
        assertThat(hostProcessesWith("61.25")).isZero();
    }

    @Test
    void cancellingSendsSigtermFirst() throws Exception {
        Run run = cancelAfterReady("trap 'echo got-term; exit 3' TERM; echo ready; while true; do sleep 0.1; done");
        assertThat(run.result().ending()).isEqualTo(ExecResult.Ending.CANCELLED);
        assertThat(run.out()).contains("got-term");
    }

    @Test
    void cancellingKillsWhatIgnoresSigterm() throws Exception {
        Run run = cancelAfterReady("trap '' TERM; echo ready; while true; do sleep 0.1; done # ignores-term-4711");
        assertThat(run.result().ending()).isEqualTo(ExecResult.Ending.CANCELLED);
        assertThat(hostProcessesWith("ignores-term-4711")).as("the shell that ignored SIGTERM was killed").isZero();
    }

    private Run cancelAfterReady(String script) throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        List<OutputLine> lines = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<ExecResult> result = new CompletableFuture<>();
        Thread runner = new Thread(() -> {
            try {
                result.complete(backend.run(new SandboxSpec(List.of("/bin/sh", "-c", script), workspace, Map.of(),
                        LIMITS, "base"), l -> {
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
        return new Run(result.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS), List.copyOf(lines));
    }

    @Test
    void aPreparedSandboxRunsOneCommandOnly() throws Exception {
        try (PreparedSandbox sandbox = backend.prepare(workspace, LIMITS, "base")) {
            assertThat(sandbox.exec(List.of("true"), Map.of(), l -> {}).succeeded()).isTrue();
            assertThatThrownBy(() -> sandbox.exec(List.of("true"), Map.of(), l -> {}))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("never reused");
        }
    }

    @Test
    void refusesAnImageItCannotProvide() {
        assertThatThrownBy(() -> backend.prepare(workspace, LIMITS, "jdk"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'jdk'");
    }

    // ---- escape attempts: each must fail ----

    @Test
    void cannotReadAHostFileOutsideTheWorkspace() throws Exception {
        Path secret = Files.writeString(tmp.resolve("host-secret.txt"), "HOST-SECRET-7731\n");
        Run run = run(LIMITS, "cat " + secret + "; cat /etc/shadow; cat /root/.bash_history; ls /home");
        assertThat(run.out()).doesNotContain("HOST-SECRET-7731").doesNotContain("root:");
    }

    @Test
    void cannotReachTheDaemonsSecretsOrAdminSocket() throws Exception {
        Path state = Files.createDirectory(tmp.resolve("state"));
        Files.writeString(state.resolve("secrets.key"), "DAEMON-KEY-5521\n");
        Path socket = state.resolve("admin.sock");
        try (ServerSocketChannel admin = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            admin.bind(UnixDomainSocketAddress.of(socket));
            Run run = run(LIMITS, "cat " + state + "/secrets.key; test -S " + socket + " && echo SOCKET-VISIBLE;"
                    + " test -S /var/run/docker.sock && echo DOCKER-VISIBLE; true");
            assertThat(run.out()).doesNotContain("DAEMON-KEY-5521").doesNotContain("SOCKET-VISIBLE")
                    .doesNotContain("DOCKER-VISIBLE");
        }
    }

    @Test
    void cannotWriteTheReadOnlyRoot() throws Exception {
        Run run = run(LIMITS, "for f in /usr/bin/cc-evil /etc/cc-evil /cc-evil /bin/cc-evil; do touch $f && echo WROTE $f;"
                + " done; echo 'evil::0:0::/:/bin/sh' >> /etc/passwd && echo WROTE passwd;"
                + " chmod 666 /etc/group && echo CHMOD group; rm -f /bin && echo REMOVED /bin; true");
        assertThat(run.out()).doesNotContain("WROTE").doesNotContain("CHMOD").doesNotContain("REMOVED");
        assertThat(Path.of("/usr/bin/cc-evil")).doesNotExist();
    }

    @Test
    void seesItsOwnUsersAndTheHostsSystemDirectories() throws Exception {
        Run run = run(LIMITS, "id -un; grep -c . /etc/group; grep '^sandbox:' /etc/passwd; ls /bin/sh /lib;"
                + " test -e /etc/ld.so.cache && echo HAS-LD-CACHE");
        assertThat(run.result().succeeded()).isTrue();
        assertThat(run.out()).contains("nobody", "sandbox:x:65534:65534:", "/bin/sh", "HAS-LD-CACHE")
                .doesNotContain("No such file");
    }

    @Test
    void theCgroupNamespaceHidesTheHostsGroups() throws Exception {
        // the sandbox joins its groups before bwrap makes the cgroup namespace, so inside they are the root
        Run run = run(LIMITS, "cat /proc/self/cgroup");
        assertThat(run.out().lines()).isNotEmpty().allSatisfy(l -> assertThat(l).endsWith(":/"));
    }

    @Test
    void cannotReachTheNetwork() throws Exception {
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
            Run run = run(LIMITS, "echo hi | busybox nc -w 2 " + hostIp + " " + server.getLocalPort()
                    + " && echo CONNECTED; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sed 's/^/IF=/'");
            assertThat(run.out()).doesNotContain("CONNECTED");
            assertThat(run.out().lines().filter(l -> l.startsWith("IF="))).containsExactly("IF=lo");
            assertThat(accepted).hasValue(0);
        }
    }

    @Test
    void cannotSeeHostProcesses() throws Exception {
        Process marker = new ProcessBuilder("sleep", "63.5").start();
        try {
            Run run = run(LIMITS, "cat /proc/[0-9]*/cmdline | tr '\\0' ' '; echo; ls /proc | grep -c '^[0-9]'");
            assertThat(run.out()).doesNotContain("63.5");
            String[] out = run.out().split("\n");
            assertThat(Integer.parseInt(out[out.length - 1].trim())).isLessThan(10);
        } finally {
            marker.destroyForcibly();
        }
    }

    @Test
    void holdsNoCapabilitiesAndRunsUnderTheFilter() throws Exception {
        Run run = run(LIMITS, "grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status;"
                + " id -u; chown 0 . && echo CHOWNED; true");
        assertThat(run.out()).contains("CapEff:\t0000000000000000", "CapPrm:\t0000000000000000",
                "CapBnd:\t0000000000000000", "NoNewPrivs:\t1", "Seccomp:\t2").doesNotContain("CHOWNED");
    }

    @Test
    void cannotMountOrMakeNamespaces() throws Exception {
        Run run = run(LIMITS, "mount -t tmpfs none /tmp && echo MOUNTED; unshare -U true && echo UNSHARED;"
                + " unshare -r true && echo UNSHARED; true");
        assertThat(run.out()).doesNotContain("MOUNTED").doesNotContain("UNSHARED");
    }

    @Test
    void cannotLoadAKernelModule() throws Exception {
        Files.write(workspace.resolve("evil.ko"), new byte[4096]);
        Run run = run(LIMITS, "busybox insmod ./evil.ko && echo LOADED; true");
        assertThat(run.out()).doesNotContain("LOADED").containsIgnoringCase("not permitted");
    }

    static String hostAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        }
        throw new IllegalStateException("no non-loopback IPv4 address on this host");
    }

    static long hostProcessesWith(String marker) {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false))
                .count();
    }
}
