package org.crustyclaw.sandbox.bwrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.SandboxBackend;
import org.crustyclaw.api.sandbox.contract.SandboxBackendContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real bwrap, real cgroups: the backend contract, and what only bwrap promises (seccomp,
 * no capabilities, its synthetic users, a cgroup namespace, the read-only host root).
 */
class BwrapBackendTest extends SandboxBackendContract {

    private static BwrapBackend backend;

    @BeforeAll
    static void activate() throws IOException {
        backend = new BwrapBackend(Defaults.of(BwrapBackend.Config.class, Map.of()));
    }

    @AfterAll
    static void deactivate() throws IOException {
        backend.deactivate();
    }

    @Override
    protected SandboxBackend backend() {
        return backend;
    }

    @Test
    void theOutputOfAPreparedSandboxThatEndsAtOnceIsNeverLost() throws Exception {
        for (int i = 0; i < 25; i++) {
            List<OutputLine> lines = Collections.synchronizedList(new ArrayList<>());
            try (var prepared = backend.prepare(workspace, limits(), "base")) {
                prepared.exec(List.of("/bin/sh", "-c", "echo warm-" + i), Map.of(), lines::add);
            }
            assertThat(lines).as("prepared run %d", i).containsExactly(new OutputLine(OutputLine.Stream.STDOUT, "warm-" + i));
        }
    }

    @Test
    void theHogsPeakMemoryIsMeasuredAndTheForkBombsShellGivesUp() throws Exception {
        Run hog = run(limits().withMemory(48L << 20), "x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done");
        assertThat(hog.result().ending()).isEqualTo(ExecResult.Ending.OUT_OF_MEMORY);
        assertThat(hog.result().peakMemoryBytes()).isGreaterThan(32L << 20).isLessThanOrEqualTo(48L << 20);
        Run bomb = run(limits().withMaxProcesses(24),
                "i=0; while [ $i -lt 200 ]; do sleep 30 & i=$((i+1)); done; echo all-started");
        assertThat(bomb.out()).doesNotContain("all-started").containsIgnoringCase("fork");
        assertThat(bomb.result().ending()).isEqualTo(ExecResult.Ending.EXITED);
    }

    @Test
    void refusesAnImageItCannotProvide() {
        assertThatThrownBy(() -> backend.prepare(workspace, limits(), "jdk"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'jdk'");
    }

    // ---- escape attempts: each must fail ----

    @Test
    void cannotWriteTheReadOnlyRoot() throws Exception {
        Run run = run(limits(), "for f in /usr/bin/cc-evil /etc/cc-evil /cc-evil /bin/cc-evil; do touch $f && echo WROTE $f;"
                + " done; echo 'evil::0:0::/:/bin/sh' >> /etc/passwd && echo WROTE passwd;"
                + " chmod 666 /etc/group && echo CHMOD group; rm -f /bin && echo REMOVED /bin; true");
        assertThat(run.out()).doesNotContain("WROTE").doesNotContain("CHMOD").doesNotContain("REMOVED");
        assertThat(Path.of("/usr/bin/cc-evil")).doesNotExist();
    }

    @Test
    void seesItsOwnUsersAndTheHostsSystemDirectories() throws Exception {
        Run run = run(limits(), "id -un; grep -c . /etc/group; grep '^sandbox:' /etc/passwd; ls /bin/sh /lib;"
                + " test -e /etc/ld.so.cache && echo HAS-LD-CACHE");
        assertThat(run.result().succeeded()).isTrue();
        assertThat(run.out()).contains("nobody", "sandbox:x:65534:65534:", "/bin/sh", "HAS-LD-CACHE")
                .doesNotContain("No such file");
    }

    @Test
    void theCgroupNamespaceHidesTheHostsGroups() throws Exception {
        // the sandbox joins its groups before bwrap makes the cgroup namespace, so inside they are the root
        Run run = run(limits(), "cat /proc/self/cgroup");
        assertThat(run.out().lines()).isNotEmpty().allSatisfy(l -> assertThat(l).endsWith(":/"));
    }

    @Test
    void holdsNoCapabilitiesAndRunsUnderTheFilter() throws Exception {
        Run run = run(limits(), "grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status;"
                + " id -u; chown 0 . && echo CHOWNED; true");
        assertThat(run.out()).contains("CapEff:\t0000000000000000", "CapPrm:\t0000000000000000",
                "CapBnd:\t0000000000000000", "NoNewPrivs:\t1", "Seccomp:\t2").doesNotContain("CHOWNED");
    }

    @Test
    void cannotMountOrMakeNamespaces() throws Exception {
        Run run = run(limits(), "mount -t tmpfs none /tmp && echo MOUNTED; unshare -U true && echo UNSHARED;"
                + " unshare -r true && echo UNSHARED; true");
        assertThat(run.out()).doesNotContain("MOUNTED").doesNotContain("UNSHARED");
    }

    @Test
    void cannotLoadAKernelModule() throws Exception {
        Files.write(workspace.resolve("evil.ko"), new byte[4096]);
        Run run = run(limits(), "busybox insmod ./evil.ko && echo LOADED; true");
        assertThat(run.out()).doesNotContain("LOADED").containsIgnoringCase("not permitted");
    }
}
