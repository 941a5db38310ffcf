package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.crustyclaw.itests.Installation.Result;
import org.junit.jupiter.api.Test;

/**
 * An approval whose requester has gone is withdrawn, audited, and {@code review list} shows
 * only what an answer can still release (issue 8): the waiting {@code sandbox run} client
 * killed, or the daemon killed and started again.
 */
class ApprovalWithdrawalTest {

    /** {@code sandbox run --tier llm-generated -- echo TEXT}, which the shipped policy makes ask. */
    private static Process waitingRun(Installation dist, String text) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Installation.HOME.resolve("bin/crustyclaw").toString(), "sandbox", "run",
                "--tier", "llm-generated", "--", "echo", text)
                .redirectInput(new File("/dev/null")).redirectErrorStream(true)
                .redirectOutput(dist.root.resolve(text + ".out").toFile());
        pb.environment().put("CRUSTYCLAW_STATE", dist.state.toString());
        pb.environment().put("CRUSTYCLAW_DEPLOY", dist.deploy.toString());
        return pb.start();
    }

    private static String pendingId(Installation dist, String text) {
        JsonNode pending = Installation.await(Duration.ofSeconds(30), () -> dist.run("review", "list", "--json").json(),
                list -> list.isArray() && list.toString().contains(text));
        for (JsonNode r : pending) {
            if (r.path("what").asText().contains(text)) {
                return r.path("id").asText();
            }
        }
        throw new AssertionError("no pending approval for " + text + " in " + pending);
    }

    private static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aKilledRequesterWithdrawsItsRequest() throws Exception {
        try (Installation dist = Installation.create("withdraw-client")) {
            dist.start();
            Process run = waitingRun(dist, "client-killed");
            String id = pendingId(dist, "client-killed");
            kill(run);

            JsonNode list = Installation.await(Duration.ofSeconds(30), () -> dist.run("review", "list", "--json").json(),
                    l -> l.isArray() && !l.toString().contains(id));
            assertThat(list.toString()).as("nothing an answer could release").doesNotContain(id);
            Result show = dist.run("review", "show", id);
            assertThat(show.out()).as("%s", show).contains("status: withdrawn", "the requester stopped waiting");
            Result approve = dist.run("review", "approve", id);
            assertThat(approve.exit()).as("%s", approve).isEqualTo(1);
            assertThat(approve.err()).contains("already rejected by withdrawn");
            Result audit = dist.run("audit", "tail", "-n", "50");
            assertThat(audit.out()).contains("approval.withdrawn").contains(id);
            // the start event of a run that never ran is not left open either: it was refused before it started
        }
    }

    @Test
    void aDaemonRestartWithdrawsWhatItsPreviousRunLeftPending() throws Exception {
        try (Installation dist = Installation.create("withdraw-restart")) {
            long pid = dist.start();
            Process run = waitingRun(dist, "daemon-killed");
            String id = pendingId(dist, "daemon-killed");
            dist.signal("KILL", pid);
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("the client sees its daemon go").isTrue();
            Installation.await(Duration.ofSeconds(30), () -> Installation.alive(pid), alive -> !alive);

            dist.start();
            Result list = dist.run("review", "list", "--json");
            assertThat(list.exit()).as("%s", list).isZero();
            assertThat(list.json().toString()).doesNotContain(id);
            Result show = dist.run("review", "show", id);
            assertThat(show.out()).as("%s", show).contains("status: withdrawn", "the daemon restarted");
            assertThat(dist.run("audit", "tail", "-n", "50").out()).contains("approval.withdrawn");
            assertThat(dist.run("review", "approve", id).exit()).isEqualTo(1);
        }
    }
}
