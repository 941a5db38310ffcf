package org.crustyclaw.sandbox.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fresh workspaces as size-limited filesystems (root only), their retention and their survival of a restart. */
class WorkspacesTest {

    @TempDir
    Path tmp;
    Path root;
    final List<Workspaces> opened = new ArrayList<>();

    @BeforeEach
    void needsRoot() throws IOException {
        root = tmp.resolve("ws");
        assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
                "workspace filesystems need root (loop mounts); run the tests as root");
    }

    @AfterEach
    void unmount() {
        opened.forEach(Workspaces::close);
    }

    private Workspaces open(boolean quota, int kept) throws IOException {
        Workspaces w = new Workspaces(root, Optional.empty(), 1000, 1000, quota, kept);
        opened.add(w);
        return w;
    }

    private static boolean mounted(Path dir) throws IOException {
        return !Files.getAttribute(dir, "unix:dev").equals(Files.getAttribute(dir.getParent(), "unix:dev"));
    }

    @Test
    void aFreshWorkspaceIsAFilesystemOfTheDiskSizeOwnedByTheSandboxUser() throws IOException {
        Workspaces w = open(true, 8);
        assertThat(w.quotaUnavailable()).isEmpty();
        Path dir = w.create(4L << 20);
        assertThat(mounted(dir)).isTrue();
        assertThat(Files.getAttribute(dir, "unix:uid")).isEqualTo(1000);
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).isEmpty();
        }
        assertThat(Files.getFileStore(dir).getTotalSpace()).isBetween(2L << 20, 4L << 20);
        byte[] mib = new byte[1 << 20];
        assertThatThrownBy(() -> {
            try (OutputStream out = Files.newOutputStream(dir.resolve("big"))) {
                for (int i = 0; i < 8; i++) {
                    out.write(mib);
                }
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
    }

    @Test
    void withoutQuotaAWorkspaceIsAPlainDirectoryAndSaysWhy() throws IOException {
        Workspaces w = open(false, 8);
        assertThat(w.quotaUnavailable()).contains("workspace_quota is off");
        Path dir = w.create(4L << 20);
        assertThat(mounted(dir)).isFalse();
    }

    @Test
    void finishedWorkspacesBeyondTheKeptNumberAreUnmountedAndDeletedOldestFirst() throws IOException {
        Workspaces w = open(true, 2);
        Path first = w.create(2L << 20);
        Path second = w.create(2L << 20);
        Path third = w.create(2L << 20);
        w.finished(first);
        w.finished(second);
        assertThat(first).isDirectory();
        w.finished(third);
        assertThat(first).doesNotExist();
        assertThat(root.resolve(".images").resolve(first.getFileName() + ".img")).doesNotExist();
        assertThat(mounted(second)).isTrue();
        assertThat(mounted(third)).isTrue();
    }

    @Test
    void aRestartMountsTheImagesAgainSoResultsSurvive() throws Exception {
        Workspaces before = open(true, 8);
        Path dir = before.create(2L << 20);
        Files.writeString(dir.resolve("result.txt"), "built\n");
        before.finished(dir);
        before.close();
        assertThat(mounted(dir)).isFalse();
        assertThat(dir.resolve("result.txt")).doesNotExist();

        Workspaces after = open(true, 8);
        after.awaitRecovery();
        assertThat(mounted(dir)).isTrue();
        assertThat(dir.resolve("result.txt")).hasContent("built");
    }

    @Test
    void aRestartKeepsOnlyTheNewestLeftoversAheadOfNewRuns() throws Exception {
        Workspaces before = open(true, 8);
        Path older = before.create(2L << 20);
        Path newer = before.create(2L << 20);
        before.close();
        // unmounted now: these are the directories' own times, which order the leftovers
        Files.setLastModifiedTime(older, java.nio.file.attribute.FileTime.fromMillis(1_000));
        Files.setLastModifiedTime(newer, java.nio.file.attribute.FileTime.fromMillis(2_000));

        Workspaces after = open(true, 2);
        after.awaitRecovery();
        Path fresh = after.create(2L << 20);
        after.finished(fresh);
        assertThat(older).as("the oldest leftover goes first").doesNotExist();
        assertThat(mounted(newer)).isTrue();
        assertThat(mounted(fresh)).isTrue();
    }

    @Test
    void anImageThatCannotBeMadeLeavesNothingBehind() throws IOException {
        Workspaces w = open(true, 8);
        assertThatThrownBy(() -> w.create(16 << 10)).isInstanceOf(IOException.class).hasMessageContaining("mkfs.ext4");
        try (var left = Files.list(root)) {
            assertThat(left.filter(p -> !p.getFileName().toString().startsWith(".")).toList()).isEmpty();
        }
        try (var images = Files.list(root.resolve(".images"))) {
            assertThat(images.toList()).isEmpty();
        }
    }

    @Test
    void aSecondOwnerOfTheSameRootIsRefusedClearlyAndTouchesNothing() throws IOException {
        Workspaces first = open(true, 1);
        Path dir = first.create(2L << 20);
        first.finished(dir);
        Workspaces second = open(true, 0);
        assertThatThrownBy(() -> second.create(2L << 20)).isInstanceOf(IOException.class)
                .hasMessageContaining("in use by another CrustyClaw process").hasMessageContaining("workspace_root");
        second.close();
        assertThat(mounted(dir)).isTrue();
    }

    @Test
    void onlyDirectoriesUnderTheRootCanBeDeleted() throws IOException {
        Workspaces w = open(true, 8);
        assertThatThrownBy(() -> w.delete(tmp)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a managed workspace");
    }
}
