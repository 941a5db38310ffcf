package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sandbox layer in the running distribution, driven through the CLI: every backend runs
 * a command here (the host is prepared by scripts/setup-sandbox-host.sh), and hot-removing the
 * Docker bundle refuses runs that need it, with the reason, until it is back.
 */
class SandboxTest {

    static Installation dist;

    @BeforeAll
    static void start() throws IOException {
        dist = Installation.create("sandbox");
        dist.start();
    }

    @AfterAll
    static void stop() {
        dist.close();
    }

    @Test
    void everyBackendIsAvailableHere() {
        var result = dist.run("sandbox", "list", "--json");
        assertThat(result.exit()).as(result.toString()).isZero();
        List<String> available = new ArrayList<>();
        String firecracker = null;
        for (JsonNode row : result.json()) {
            if (row.path("available").asBoolean()) {
                available.add(row.path("name").asText());
            }
            if (row.path("name").asText().equals("firecracker")) {
                firecracker = row.path("available").asBoolean() ? "available" : row.path("reason").asText();
            }
        }
        assertThat(available).as(result.toString()).contains("bwrap", "docker-runc", "docker-runsc", "qemu-microvm");
        // no firecracker binary in any package registry here: listed, with the reason
        assertThat(firecracker).as(result.toString()).contains("firecracker").contains("PATH");
    }

    @Test
    void eachBackendRunsACommandAndReportsItsExit() {
        for (String backend : List.of("bwrap", "docker-runc", "docker-runsc", "qemu-microvm")) {
            var result = dist.run("sandbox", "run", "--backend", backend, "--", "sh", "-c", "echo out-$((6*7)); echo err >&2; exit 3");
            assertThat(result.exit()).as(result.toString()).isNotZero();
            assertThat(result.out()).as(result.toString()).contains("out-42").doesNotContain("err");
            assertThat(result.err()).as("stderr lines and the closing summary: " + result).contains("err", "backend: " + backend,
                    "exit code: 3");
        }
    }

    @Test
    void aFreshWorkspaceHoldsNoMoreThanItsDiskLimitOnEveryBackend() {
        for (String backend : List.of("bwrap", "docker-runc", "docker-runsc", "qemu-microvm")) {
            var result = dist.run("sandbox", "run", "--backend", backend, "--disk", "8m", "--", "sh", "-c",
                    "dd if=/dev/zero of=big bs=1M count=32 2>&1; echo size=$(wc -c < big)");
            assertThat(result.out()).as(result.toString()).contains("No space left on device");
            long size = Long.parseLong(result.out().replaceAll("(?s).*size=\\s*(\\d+).*", "$1"));
            assertThat(size).as(result.toString()).isLessThan(8L << 20);
        }
    }

    @Test
    void theTierPicksTheLevelAndTheHostIsNotVisible() {
        var result = dist.run("sandbox", "run", "--tier", "internal", "--", "sh", "-c",
                "cat /etc/shadow; echo pids=$(ls /proc | grep -c '^[0-9]')");
        assertThat(result.err()).as(result.toString()).contains("level: L2");
        assertThat(result.all()).doesNotContain("root:");
        // the host runs hundreds of processes; the sandbox sees its own few
        int pids = Integer.parseInt(result.out().replaceAll("(?s).*pids=(\\d+).*", "$1"));
        assertThat(pids).as(result.toString()).isBetween(1, 9);
    }

    @Test
    void hotRemovingTheDockerBundleRefusesItsRunsUntilItIsBack() {
        var stop = dist.run("plugins", "stop", "org.crustyclaw.sandbox.docker");
        assertThat(stop.exit()).as(stop.toString()).isZero();
        try {
            var refused = dist.run("sandbox", "run", "--backend", "docker-runc", "--", "true");
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.all()).contains("no sandbox backend named 'docker-runc' is installed", "bwrap");
            var list = dist.run("sandbox", "list");
            assertThat(list.out()).doesNotContain("docker-runc");
        } finally {
            var start = dist.run("plugins", "start", "org.crustyclaw.sandbox.docker");
            assertThat(start.exit()).as(start.toString()).isZero();
        }
        var back = dist.run("sandbox", "run", "--backend", "docker-runc", "--", "echo", "back");
        assertThat(back.exit()).as(back.toString()).isZero();
        assertThat(back.out()).contains("back");
        assertThat(back.err()).contains("backend: docker-runc");
    }

    @Test
    void theBuildImageHasAJdkAndGit() {
        var result = dist.run("sandbox", "run", "--backend", "docker-runc", "--image", "build", "--timeout", "120s", "--",
                "sh", "-c", "java -version 2>&1 | head -1; git init -q repo && git -C repo status --short && echo git-ok");
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).contains("openjdk version \"17", "git-ok");
    }

    @Test
    void runsAreAudited() {
        String marker = "audited-" + java.util.UUID.randomUUID();
        var run = dist.run("sandbox", "run", "--backend", "bwrap", "--", "echo", marker);
        assertThat(run.exit()).as(run.toString()).isZero();
        var tail = dist.run("audit", "tail", "-n", "50", "--json");
        assertThat(tail.exit()).as(tail.toString()).isZero();
        long start = -1;
        JsonNode end = null;
        for (JsonNode e : tail.json()) {
            JsonNode payload = e.path("payload");
            if (!e.path("type").asText().equals("sandbox.exec")) {
                continue;
            }
            if (payload.path("phase").asText().equals("start") && payload.path("command").asText().equals("echo " + marker)) {
                start = e.path("seq").asLong();
            } else if (start >= 0 && end == null && payload.path("phase").asText().equals("end")) {
                end = e;
            }
        }
        assertThat(start).as("this run's start event (its command names the marker): %s", tail).isNotNegative();
        assertThat(end).as("an end event after this run's start: %s", tail).isNotNull();
        assertThat(end.path("payload").path("backend").asText()).isEqualTo("bwrap");
        assertThat(end.path("payload").path("ending").asText()).isEqualTo("EXITED");
        assertThat(end.path("payload").path("exitCode").asText()).isEqualTo("0");
    }
}
