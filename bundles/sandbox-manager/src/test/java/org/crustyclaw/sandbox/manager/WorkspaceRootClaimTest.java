package org.crustyclaw.sandbox.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.crustyclaw.api.sandbox.WorkspaceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One owner per workspace root, and a waiting one that takes over when the owner lets go, no
 * restart needed. Plain directories (no quota), so these run without root; the two owners
 * share a JVM here, the itest {@code TwoDaemonsTest} runs them as two daemons.
 */
class WorkspaceRootClaimTest {

    @TempDir
    Path tmp;
    final List<Workspaces> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(Workspaces::close);
    }

    private Workspaces open(int kept, Runnable onClaimed) throws IOException {
        Workspaces w = new Workspaces(tmp.resolve("ws"), Optional.empty(), 1000, 1000, false, kept, onClaimed);
        opened.add(w);
        return w;
    }

    @Test
    void theDefaultRootIsOnePerStateDirectoryAndAStateDirectoryKeepsItsOwn() throws IOException {
        Path a = Files.createDirectories(tmp.resolve("claw-a"));
        Path b = Files.createDirectories(tmp.resolve("claw-b"));
        Path tmpdir = Path.of(System.getProperty("java.io.tmpdir"));
        Path rootA = SandboxManager.defaultRoot(Optional.of(a));
        assertThat(rootA.getParent()).isEqualTo(tmpdir);
        assertThat(rootA.getFileName().toString()).matches("crustyclaw-workspaces-[0-9a-f]{16}");
        assertThat(SandboxManager.defaultRoot(Optional.of(b))).isNotEqualTo(rootA);
        assertThat(SandboxManager.defaultRoot(Optional.of(a))).as("the next start finds its workspaces").isEqualTo(rootA);
        Path link = Files.createSymbolicLink(tmp.resolve("link-to-a"), a);
        assertThat(SandboxManager.defaultRoot(Optional.of(link))).isEqualTo(rootA);
    }

    @Test
    void aRootThatIsASymbolicLinkIsRefused() throws IOException {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(tmp.resolve("ws"), elsewhere);
        assertThatThrownBy(() -> open(4, () -> {})).isInstanceOf(IOException.class)
                .hasMessageContaining("workspace root " + tmp.resolve("ws") + " is a symbolic link");
    }

    @Test
    void aRootOfAnotherUserIsRefused() throws IOException {
        assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0, "needs root to chown");
        Path theirs = Files.createDirectories(tmp.resolve("ws"));
        Files.setAttribute(theirs, "unix:uid", 1234);
        assertThatThrownBy(() -> open(4, () -> {})).isInstanceOf(IOException.class)
                .hasMessageContaining("belongs to uid 1234, not to this daemon's uid 0");
    }

    @Test
    void theOwnerSaysSoAndNamesItsPidInTheLockFile() throws IOException {
        Workspaces owner = open(4, () -> {});
        assertThat(owner.status()).isEqualTo(new WorkspaceStatus(tmp.resolve("ws"), Optional.empty()));
        assertThat(Files.readString(tmp.resolve("ws/.lock")).strip()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
    }

    @Test
    void aWaitingProcessShowsWhyAndClaimsTheRootWhenItIsFreed() throws Exception {
        Workspaces first = open(4, () -> {});
        Path left = first.create(1 << 20);
        Files.writeString(left.resolve("result.txt"), "kept");
        first.finished(left);
        AtomicInteger claimed = new AtomicInteger();
        Workspaces second = open(0, claimed::incrementAndGet);

        WorkspaceStatus waiting = second.status();
        assertThat(waiting.available()).isFalse();
        assertThat(waiting.unavailableBecause().orElseThrow()).contains("workspace root " + tmp.resolve("ws"),
                "in use by another CrustyClaw process (pid " + ProcessHandle.current().pid() + ")", "workspace_root");
        assertThatThrownBy(() -> second.create(1 << 20)).isInstanceOf(IOException.class)
                .hasMessageContaining("in use by another CrustyClaw process");
        assertThat(left.resolve("result.txt")).as("the waiting one touches nothing of the owner's").hasContent("kept");
        assertThat(claimed).hasValue(0);

        first.close();
        Path mine = second.create(1 << 20);
        assertThat(mine.getParent()).isEqualTo(tmp.resolve("ws"));
        assertThat(second.status().available()).isTrue();
        assertThat(claimed).as("the pool is told once").hasValue(1);
        second.awaitRecovery();
        assertThat(left).as("what the first owner left is the new owner's to keep or trim (kept = 0)").doesNotExist();
    }

    @Test
    void askingForTheStatusIsEnoughToClaimAFreedRoot() throws Exception {
        Workspaces first = open(4, () -> {});
        AtomicInteger claimed = new AtomicInteger();
        Workspaces second = open(4, claimed::incrementAndGet);
        assertThat(second.status().available()).isFalse();
        first.close();
        assertThat(second.status().available()).isTrue();
        assertThat(claimed).hasValue(1);
        assertThat(Files.readString(tmp.resolve("ws/.lock")).strip()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
    }

    @Test
    void aClosedWaiterNeverClaimsTheRoot() throws Exception {
        Workspaces first = open(4, () -> {});
        Workspaces second = open(4, () -> {});
        second.close();
        first.close();
        assertThat(second.status().available()).isFalse();
        assertThatThrownBy(() -> second.create(1 << 20)).isInstanceOf(IOException.class);
    }
}
