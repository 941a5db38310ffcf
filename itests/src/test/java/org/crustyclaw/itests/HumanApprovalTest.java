package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A human in the loop, with the shipped policy: code a model wrote ({@code --tier
 * llm-generated}) waits for {@code review approve} from another terminal, and a rejection
 * stops it with the reason.
 */
class HumanApprovalTest {

    static Installation dist;

    @BeforeAll
    static void start() throws IOException {
        dist = Installation.create("approval");
        dist.start();
    }

    @AfterAll
    static void stop() {
        dist.close();
    }

    /** Starts {@code sandbox run --tier llm-generated -- echo TEXT} in the background. */
    private Process waitingRun(String text, Path output) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Installation.HOME.resolve("bin/crustyclaw").toString(), "sandbox", "run",
                "--tier", "llm-generated", "--", "echo", text)
                .redirectInput(new File("/dev/null")).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().put("CRUSTYCLAW_STATE", dist.state.toString());
        pb.environment().put("CRUSTYCLAW_DEPLOY", dist.deploy.toString());
        return pb.start();
    }

    private String pendingId(String text) {
        JsonNode pending = Installation.await(Duration.ofSeconds(30), () -> dist.run("review", "list", "--json").json(),
                list -> list.isArray() && list.toString().contains(text));
        for (JsonNode r : pending) {
            if (r.path("what").asText().contains(text)) {
                assertThat(r.path("rule").asText()).isEqualTo("generated-code-asks");
                return r.path("id").asText();
            }
        }
        throw new AssertionError("no pending approval for " + text + " in " + pending);
    }

    @Test
    void theRunWaitsForApprovalThenRunsAtLevelThree() throws Exception {
        Path output = dist.root.resolve("approved.out");
        Process run = waitingRun("approved-run", output);
        String id = pendingId("approved-run");
        assertThat(run.isAlive()).as("the run waits for the human").isTrue();
        var approve = dist.run("review", "approve", "--reason", "looks fine", id);
        assertThat(approve.exit()).as(approve.toString()).isZero();
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(run.exitValue()).as(text).isZero();
        assertThat(text).contains("waiting for approval " + id, "approved-run", "level: L3", "approved as " + id);
    }

    @Test
    void aRejectionStopsTheRunWithTheReason() throws Exception {
        Path output = dist.root.resolve("rejected.out");
        Process run = waitingRun("rejected-run", output);
        String id = pendingId("rejected-run");
        var reject = dist.run("review", "reject", "--reason", "not this one", id);
        assertThat(reject.exit()).as(reject.toString()).isZero();
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(run.exitValue()).as(text).isNotZero();
        assertThat(text).contains("rejected", "not this one").doesNotContain("\nrejected-run\n");
        assertThat(dist.run("audit", "tail", "-n", "100").out()).contains("approval");
    }
}
