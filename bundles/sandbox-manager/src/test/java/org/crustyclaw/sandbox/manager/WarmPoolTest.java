package org.crustyclaw.sandbox.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.crustyclaw.api.sandbox.IsolationLevel;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.PoolStats;
import org.crustyclaw.api.sandbox.RunRequest;
import org.crustyclaw.api.sandbox.Sandboxes.Ran;
import org.crustyclaw.api.sandbox.TrustTier;
import org.crustyclaw.sandbox.bwrap.BwrapBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm pool over the real bwrap backend: pre-started, pre-loaded, handed out once. */
class WarmPoolTest {

    @TempDir
    Path tmp;
    BwrapBackend bwrap;
    SandboxManager manager;

    @BeforeEach
    void activate() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        Path snapshot = Files.createDirectories(tmp.resolve("snapshot/src"));
        Files.writeString(snapshot.resolve("Main.java"), "class Main {}\n");
        bwrap = new BwrapBackend(Defaults.of(BwrapBackend.Config.class, Map.of()));
        assumeTrue(bwrap.unavailableBecause().isEmpty(),
                () -> "bwrap backend unavailable here: " + bwrap.unavailableBecause().orElse(""));
        manager = new SandboxManager(Defaults.of(SandboxManager.Config.class, Map.of(
                "workspaceRoot", tmp.resolve("ws").toString(),
                "workspaceSnapshot", tmp.resolve("snapshot").toString(),
                "pools", new String[] {"base@L2=2"})));
        manager.addBackend(bwrap);
        manager.setPolicy(new SelectorTest.RecordingPolicy(org.crustyclaw.api.policy.Effect.ALLOW));
        manager.setAudit(new SandboxManagerTest.RecordingAudit(false));
    }

    @AfterEach
    void deactivate() throws Exception {
        if (manager != null) {
            manager.deactivate();
        }
        bwrap.deactivate();
    }

    private PoolStats awaitIdle(int idle) throws InterruptedException {
        return Await.until("the pool reaches " + idle + " idle", () -> manager.pools().get(0), s -> s.idle() >= idle);
    }

    @Test
    void handsOutAPreStartedSandboxWithTheSnapshotAndRefillsBehindIt() throws Exception {
        PoolStats full = awaitIdle(2);
        assertThat(full.backend()).isEqualTo("bwrap");
        assertThat(full.level()).isEqualTo(IsolationLevel.L2);
        assertThat(full.refillsPerMinute()).isGreaterThanOrEqualTo(2);

        List<OutputLine> lines = new ArrayList<>();
        Ran ran = (Ran) manager.run(RunRequest.of(SelectorTest.ALICE, TrustTier.INTERNAL,
                List.of("/bin/sh", "-c", "cat src/Main.java; echo secret > left-behind.txt")), lines::add);
        assertThat(ran.pooled()).isTrue();
        assertThat(ran.result().succeeded()).isTrue();
        assertThat(lines).extracting(OutputLine::text).containsExactly("class Main {}");
        assertThat(ran.workspace().resolve("left-behind.txt")).exists();

        PoolStats after = awaitIdle(2);
        assertThat(after.handedOut()).isEqualTo(1);
        assertThat(after.inUse()).isZero();
        assertThat(after.acquireP50Millis()).isPositive();

        List<OutputLine> second = new ArrayList<>();
        Ran next = (Ran) manager.run(RunRequest.of(SelectorTest.ALICE, TrustTier.INTERNAL,
                List.of("/bin/sh", "-c", "ls; cat left-behind.txt 2>&1 || true")), second::add);
        assertThat(next.pooled()).isTrue();
        assertThat(next.workspace()).isNotEqualTo(ran.workspace());
        assertThat(second).extracting(OutputLine::text).doesNotContain("secret").contains("src");
    }

    @Test
    void requestsWithOtherLimitsOrTheirOwnWorkspaceStartCold() throws Exception {
        awaitIdle(2);
        Ran other = (Ran) manager.run(RunRequest.of(SelectorTest.ALICE, TrustTier.INTERNAL, List.of("true"))
                .withLimits(org.crustyclaw.api.sandbox.ResourceLimits.DEFAULT.withMemory(64L << 20)), l -> {});
        assertThat(other.pooled()).isFalse();
        assertThat(manager.pools().get(0).handedOut()).isZero();
    }

    @Test
    void rejectsAMalformedPoolEntryNamingIt() {
        assertThatThrownBy(() -> WarmPool.parse(new String[] {"base-L2-2"})).hasMessageContaining("'base-L2-2'")
                .hasMessageContaining("image@LEVEL=SIZE");
        assertThatThrownBy(() -> WarmPool.parse(new String[] {"base@L2=many"})).hasMessageContaining("'many'");
    }

    @Test
    void aRemovedBackendsIdleSandboxesAreDestroyed() throws Exception {
        awaitIdle(2);
        manager.removeBackend(bwrap);
        PoolStats stats = manager.pools().get(0);
        assertThat(stats.idle()).isZero();
        String error = Await.until("the refill executor records why it cannot refill",
                () -> manager.pools().get(0).lastError(), e -> !e.isEmpty());
        assertThat(error).contains("no available sandbox backend");
        assertThat(manager.pools().get(0).idle()).as("nothing refilled without a backend").isZero();
    }
}
