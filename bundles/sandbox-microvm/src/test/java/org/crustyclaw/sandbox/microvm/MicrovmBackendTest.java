package org.crustyclaw.sandbox.microvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.SandboxBackend;
import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.sandbox.SandboxSpec;
import org.crustyclaw.api.sandbox.contract.SandboxBackendContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Boots real QEMU microVMs under TCG with the assets of scripts/setup-sandbox-host.sh: the
 * backend contract, and what only a VM promises (its own kernel, the boot watchdog, the guest
 * OOM killer, no module loading or mounts). Each test waits for its event; the timeout only
 * guards against a hang (a VM that never ends).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MicrovmBackendTest extends SandboxBackendContract {

    private static MicrovmBackend backend;

    @BeforeAll
    static void start() {
        backend = new MicrovmBackend(Settings.defaults().withAccel("tcg").withBootTimeout(Duration.ofSeconds(60)));
    }

    @AfterAll
    static void stop() {
        backend.deactivate();
    }

    @Override
    protected SandboxBackend backend() {
        return backend;
    }

    /** The guest user takes the workspace owner's uid; a root-owned one would not be writable to it. */
    @Override
    protected int workspaceOwnerUid() {
        return 1000;
    }

    /** The smallest VM that boots; the string-doubling hog outgrows it. */
    @Override
    protected long hogMemoryBytes() {
        return (long) Settings.MIN_MEMORY_MIB << 20;
    }

    /**
     * Known gap, found by the contract: the guest agent answers KILL with SIGKILL at once
     * (guest/cc-agent {@code killcmd}), where {@link SandboxBackend#run} promises SIGTERM and
     * SIGKILL after a grace period. Cancellation itself works ({@link #cancellingKillsWhatIgnoresSigterm}).
     */
    @Override
    @Test
    @org.junit.jupiter.api.Disabled("the guest agent sends SIGKILL without a SIGTERM first: see bundles/sandbox-microvm/README.md")
    protected void cancellingSendsSigtermFirst() {
    }

    @AfterEach
    void noQemuLeftBehind() {
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .map(p -> p.info().command().orElse("?")).toList())
                .as("processes left running after the test").isEmpty();
    }

    /** For the other tests of this module: gives a workspace to the guest user when running as root. */
    static void ownByUnprivilegedUser(Path dir) throws IOException {
        if (runsAsRoot()) {
            Files.setAttribute(dir, "unix:uid", 1000);
            Files.setAttribute(dir, "unix:gid", 1000);
        }
    }

    @Test
    void theGuestRunsItsOwnKernel() throws Exception {
        Run run = run(limits(), "uname -r");
        assertThat(run.result().succeeded()).as("%s", run).isTrue();
        // the guest kernel is the one scripts/setup-sandbox-host.sh extracted (vmlinux.source names it)
        String host = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.readString(Settings.defaults().kernel()
                .resolveSibling("vmlinux.source")).contains(host), "the host boots the guest's own kernel");
        assertThat(run.stdout()).hasSize(1).doesNotContain(host);
    }

    @Test
    void theBootWatchdogKillsAVmThatDoesNotBecomeReady() {
        MicrovmBackend impatient = new MicrovmBackend(
                Settings.defaults().withAccel("tcg").withBootTimeout(Duration.ofMillis(300)));
        try {
            assertThatThrownBy(() -> impatient.run(SandboxSpec.of(workspace, List.of("true")), l -> {}))
                    .isInstanceOf(SandboxException.class)
                    // the watchdog fires in whichever boot phase 300 ms ends: QEMU's socket or the guest agent
                    .hasMessageFindingMatch("did not boot within|did not open its agent socket .* in time");
        } finally {
            impatient.deactivate();
        }
    }

    @Test
    void theGuestOomKillerEndsTheRunAsOutOfMemory() throws Exception {
        // eight 24 MiB buffers do not fit in a 128 MiB VM: the guest kernel has to kill one
        Run run = run(limits().withMemory(128L << 20).withTimeout(Duration.ofSeconds(60)), String.join("\n",
                "echo hog", "pids=",
                "for i in 1 2 3 4 5 6 7 8; do",
                "  (head -c 30m /dev/zero | tail -c 24m > /dev/null) & pids=\"$pids $!\"",
                "done",
                "failed=0; for p in $pids; do wait $p || failed=1; done",
                "[ $failed = 0 ] && echo survived", "exit $failed"));
        assertThat(run.result().ending()).as("%s", run).isEqualTo(ExecResult.Ending.OUT_OF_MEMORY);
        assertThat(run.stdout()).contains("hog").doesNotContain("survived");
    }

    @Test
    void refusesMemoryBelowWhatAVmNeedsToBoot() {
        assertThatThrownBy(() -> backend.run(SandboxSpec.of(workspace, List.of("true"))
                .withLimits(ResourceLimits.DEFAULT.withMemory(64L << 20)), l -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 MiB").hasMessageContaining("128");
    }

    @Test
    void runsUnprivilegedAndCannotLoadModulesOrMount() throws Exception {
        Run run = run(limits(), String.join("\n",
                "id -u",
                "insmod /lib/cc-modules/9p.ko 2>/dev/null && echo insmod=ok || echo insmod=denied",
                "mkdir -p /tmp/m; mount -t tmpfs none /tmp/m 2>/dev/null && echo mount=ok || echo mount=denied"));
        assertThat(run.result().ending()).isEqualTo(ExecResult.Ending.EXITED);
        assertThat(run.stdout()).containsExactly("1000", "insmod=denied", "mount=denied");
    }
}
