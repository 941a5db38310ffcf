package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.crustyclaw.channel.signal.SignalRestServer;
import org.crustyclaw.provider.openai.wire.OpenAiWireServer;
import org.crustyclaw.provider.openai.wire.OpenAiWireServer.Call;
import org.crustyclaw.provider.openai.wire.OpenAiWireServer.Reply;
import org.crustyclaw.provider.openai.wire.OpenAiWireServer.Turn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The built distribution talking to a signal-cli-rest-api double that follows its swagger:
 * an operator's phone gets the approval a waiting run asks for, a stranger cannot answer it,
 * the operator's "approve ID" lets the run go on.
 */
class SignalApprovalTest {

    static final String ACCOUNT = "+4915100000001";
    static final String OPERATOR = "+4915100000002";
    static final String STRANGER = "+4915100000003";
    static final long WAIT = 120;

    static SignalRestServer signal;
    static OpenAiWireServer model;
    static Installation dist;

    @BeforeAll
    static void start() throws IOException {
        signal = new SignalRestServer("normal");
        signal.account(ACCOUNT);
        model = OpenAiWireServer.start(java.util.List.of(
                new Turn("REQ-SIGNAL", new Reply.ToolCalls(java.util.List.of(new Call("shell",
                        "{\"command\":\"echo SIGNAL-$((6*7))\"}"))), false),
                new Turn("SIGNAL-42", new Reply.Text("The shell said SIGNAL-42."), false)), java.util.List.of("gpt-test"));
        dist = Installation.create("signal");
        Path skills = Files.createDirectories(dist.root.resolve("skills/chat"));
        Files.writeString(skills.resolve("skill.toml"), """
                name = "chat"
                description = "answers from a chat"
                tier = "trusted"
                prompt = "prompt.md"
                tools = ["shell"]
                [model]
                provider = "openai"
                model = "gpt-test"
                [budgets]
                iterations = 4
                """);
        Files.writeString(skills.resolve("prompt.md"), "You answer operators on Signal.");
        String shipped = Files.readString(Installation.HOME.resolve("etc/crustyclaw.toml"), StandardCharsets.UTF_8)
                .replaceFirst("(\\[provider\\.openai\\][^\\[]*?)base_url = \"\"", "$1base_url = \"" + model.baseUrl() + "\"");
        assertThat(shipped).contains(model.baseUrl().toString());
        dist.config(dist.write("crustyclaw.toml", shipped + "\n[agent]\nskill_dirs = [\"" + skills.getParent() + "\"]\n" + """

                [channel.signal]
                number = "%s"
                base_url = "%s"
                mode = "normal"
                senders = ["%s=admin"]
                receive_timeout_seconds = 1

                [router]
                notify_to = ["signal:%s"]
                """.formatted(ACCOUNT, signal.uri(), OPERATOR, OPERATOR)));
        dist.start();
    }

    @AfterAll
    static void stop() throws IOException {
        dist.close();
        signal.close();
        model.close();
    }

    /** The next message the daemon sent to {@code to}, skipping others. */
    private static String nextTo(String to) throws InterruptedException {
        for (JsonNode s = signal.nextSent(WAIT); s != null; s = signal.nextSent(WAIT)) {
            if (s.path("recipients").get(0).asText().equals(to)) {
                return s.path("message").asText();
            }
        }
        throw new AssertionError("nothing sent to " + to + " within " + WAIT + " s");
    }

    @Test
    void anApprovalOfferedOnSignalAndAnsweredThereLetsTheRunGoOn() throws Exception {
        Installation.Result status = dist.run("signal", "status", "--json");
        assertThat(status.exit()).as("%s", status).isZero();
        assertThat(Installation.await(java.time.Duration.ofSeconds(WAIT), () -> dist.run("signal", "status", "--json")
                .json(), j -> j.path("receiving").asBoolean()).path("account").asText()).isEqualTo("VERIFIED");

        signal.deliver(ACCOUNT, OPERATOR, "status");
        assertThat(nextTo(OPERATOR)).contains("Sandboxes:").contains("Channels: signal").contains("Pending approvals: 0");

        Path output = dist.root.resolve("run.out");
        ProcessBuilder pb = new ProcessBuilder(Installation.HOME.resolve("bin/crustyclaw").toString(), "--config",
                dist.root.resolve("crustyclaw.toml").toString(), "sandbox", "run", "--tier", "llm-generated", "--",
                "echo", "approved-from-signal").redirectInput(new File("/dev/null")).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().put("CRUSTYCLAW_STATE", dist.state.toString());
        pb.environment().put("CRUSTYCLAW_DEPLOY", dist.deploy.toString());
        Process run = pb.start();

        String offer = nextTo(OPERATOR);
        Matcher id = Pattern.compile("Approval needed (\\S+):").matcher(offer);
        assertThat(id.find()).as(offer).isTrue();
        assertThat(offer).contains("approved-from-signal").contains("Reply 'approve " + id.group(1) + "'");

        signal.deliver(ACCOUNT, STRANGER, "approve " + id.group(1));
        assertThat(nextTo(STRANGER)).startsWith("Not allowed: approve");
        assertThat(run.isAlive()).as("a stranger's answer releases nothing").isTrue();

        signal.deliver(ACCOUNT, OPERATOR, "approve " + id.group(1) + " fine by me");
        assertThat(nextTo(OPERATOR)).isEqualTo("Approved " + id.group(1) + ".");
        assertThat(run.waitFor(WAIT, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(run.exitValue()).as(text).isZero();
        assertThat(text).contains("approved-from-signal").contains("approved as " + id.group(1));

        String audit = dist.run("audit", "tail", "-n", "200", "--json").out();
        assertThat(audit).contains("channel.command").contains("signal:" + OPERATOR).contains("signal:" + STRANGER);
    }

    @Test
    void aSkillStartedFromSignalReportsItsStepsAndAnswerThere() throws Exception {
        Installation.await(java.time.Duration.ofSeconds(WAIT), () -> dist.run("signal", "status", "--json").json(),
                j -> j.path("receiving").asBoolean());
        signal.deliver(ACCOUNT, STRANGER, "run chat REQ-SIGNAL hello");
        assertThat(nextTo(STRANGER)).startsWith("Not allowed: run");

        signal.deliver(ACCOUNT, OPERATOR, "run chat REQ-SIGNAL what does the shell say?");
        String started = nextTo(OPERATOR);
        Matcher id = Pattern.compile("Task (\\S+) started \\(chat\\)").matcher(started);
        assertThat(id.find()).as(started).isTrue();
        String step = nextTo(OPERATOR);
        assertThat(step).startsWith("Task " + id.group(1) + ": ").contains("shell");
        String answer = nextTo(OPERATOR);
        assertThat(answer).startsWith("Task " + id.group(1) + " succeeded").contains("The shell said SIGNAL-42.");

        signal.deliver(ACCOUNT, OPERATOR, "tasks");
        assertThat(nextTo(OPERATOR)).contains(id.group(1) + " succeeded chat");
    }
}
