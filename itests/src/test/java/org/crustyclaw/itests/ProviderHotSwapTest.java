package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.crustyclaw.provider.openai.wire.OpenAiWireServer;
import org.crustyclaw.provider.openai.wire.OpenAiWireServer.Reply;
import org.crustyclaw.provider.openai.wire.OpenAiWireServer.Turn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built distribution pointed at a local server speaking OpenAI's wire format: a reply
 * streams through the daemon to the CLI, and stopping the provider bundle while a reply streams
 * ends that call with "provider openai gone" (exit 1); started again, the provider answers.
 */
class ProviderHotSwapTest {

    static Installation dist;
    static OpenAiWireServer wire;

    @BeforeAll
    static void start() throws Exception {
        wire = OpenAiWireServer.start(List.of(
                new Turn("keep streaming", new Reply.Stall("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\","
                        + "\"created\":1,\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                        + "\"content\":\"partial-answer\"},\"finish_reason\":null}]}\n\n")),
                new Turn("hello", new Reply.Text("Hello back from the wire server."))));
        dist = Installation.create("providers");
        String toml = Files.readString(Installation.HOME.resolve("etc/crustyclaw.toml"), StandardCharsets.UTF_8);
        int at = toml.indexOf("[provider.openai]");
        assertThat(at).as("the shipped configuration has [provider.openai]").isNotNegative();
        String section = toml.substring(at);
        String configuredSection = section.replaceFirst("base_url = \"\"\nmodels = \\[\\]",
                "base_url = \"" + wire.baseUrl() + "\"\nmodels = [\"gpt-test\"]");
        assertThat(configuredSection).as("the shipped [provider.openai] has base_url and models to set").isNotEqualTo(section);
        String configured = toml.substring(0, at) + configuredSection;
        dist.config(dist.write("crustyclaw.toml", configured));
        dist.start();
    }

    @AfterAll
    static void stop() {
        if (dist != null) {
            dist.close();
        }
        if (wire != null) {
            wire.close();
        }
    }

    @Test
    void aReplyStreamsThroughTheDaemonAndStoppingTheBundleEndsAStreamWithProviderGone() throws Exception {
        var list = dist.run("models", "list", "--json");
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).contains("\"provider\" : \"openai\"", "gpt-test");

        var hello = dist.run("models", "chat", "openai", "hello", "there");
        assertThat(hello.exit()).as(hello.toString()).isZero();
        assertThat(hello.out()).contains("Hello back from the wire server.");
        assertThat(hello.err()).contains("done: stop");

        Path out = Files.createTempFile(dist.root, "chat", ".out");
        Path err = Files.createTempFile(dist.root, "chat", ".err");
        ProcessBuilder pb = new ProcessBuilder(Installation.HOME.resolve("bin/crustyclaw").toString(), "models", "chat",
                "openai", "keep", "streaming").redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("CRUSTYCLAW_STATE", dist.state.toString());
        pb.environment().put("CRUSTYCLAW_DEPLOY", dist.deploy.toString());
        Process chat = pb.start();
        try {
            String seen = Installation.await(Duration.ofSeconds(60), () -> read(out), s -> s.contains("partial-answer"));
            assertThat(seen).as("the first text streamed to the CLI before the bundle stops").contains("partial-answer");
            var stopBundle = dist.run("plugins", "stop", "org.crustyclaw.provider.openai");
            assertThat(stopBundle.exit()).as(stopBundle.toString()).isZero();
            assertThat(chat.waitFor(60, TimeUnit.SECONDS)).as("the chat ends when its provider goes").isTrue();
            assertThat(chat.exitValue()).isEqualTo(1);
            assertThat(read(err)).contains("provider openai gone");
            var without = dist.run("models", "list");
            assertThat(without.out()).doesNotContain("openai");
        } finally {
            chat.destroyForcibly();
            var startBundle = dist.run("plugins", "start", "org.crustyclaw.provider.openai");
            assertThat(startBundle.exit()).as(startBundle.toString()).isZero();
        }
        var back = dist.run("models", "chat", "openai", "hello", "again");
        assertThat(back.exit()).as(back.toString()).isZero();
        assertThat(back.out()).contains("Hello back");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
