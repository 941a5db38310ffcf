package org.crustyclaw.sandbox.bwrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.crustyclaw.api.sandbox.ResourceLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The v2 layout on a directory that looks like one (this host runs v1, which the backend tests use). */
class CgroupTreeTest {

    @Test
    void writesV2LimitsAndReadsItsOomCountAndPeak(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        CgroupTree tree = CgroupTree.detect(root, "crustyclaw").tree().orElseThrow();
        assertThat(tree.version()).isEqualTo(CgroupTree.Version.V2);
        assertThat(Files.readString(root.resolve("crustyclaw/cgroup.subtree_control"))).contains("+memory +pids +cpu");

        Files.createDirectories(root.resolve("crustyclaw"));
        Cgroup group = tree.create("s-1", new ResourceLimits(64L << 20, 0.5, 40, Duration.ofSeconds(5), 1L << 20));
        Path dir = root.resolve("crustyclaw/s-1");
        assertThat(Files.readString(dir.resolve("memory.max"))).isEqualTo(Long.toString(64L << 20));
        assertThat(Files.readString(dir.resolve("pids.max"))).isEqualTo("40");
        assertThat(group.procsFiles()).containsExactly(dir.resolve("cgroup.procs"));

        Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n");
        Files.writeString(dir.resolve("memory.peak"), "67100000\n");
        Files.writeString(dir.resolve("cgroup.procs"), "12\n34\n");
        assertThat(group.oomKills()).isEqualTo(1);
        assertThat(group.peakMemoryBytes()).isEqualTo(67_100_000L);
        assertThat(group.pids()).containsExactly(12L, 34L);
    }

    @Test
    void saysWhyWhenThereIsNoHierarchy(@TempDir Path root) {
        CgroupTree.Result result = CgroupTree.detect(root, "crustyclaw");
        assertThat(result.tree()).isEmpty();
        assertThat(result.unavailableBecause()).contains("no cgroup v1 memory hierarchy").contains(root.toString());
    }
}
