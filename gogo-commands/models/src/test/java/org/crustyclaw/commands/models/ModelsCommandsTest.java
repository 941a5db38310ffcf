package org.crustyclaw.commands.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import org.crustyclaw.api.model.ChatEvent;
import org.crustyclaw.api.model.ChatRequest;
import org.crustyclaw.api.model.ModelProvider;
import org.crustyclaw.api.model.ProviderState;
import org.crustyclaw.api.model.ToolUse;
import org.crustyclaw.api.model.Usage;
import org.crustyclaw.api.runtime.CommandFailedException;
import org.crustyclaw.commands.format.UsageCheck;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ModelsCommandsTest {

    record Fixed(String name, List<String> models, ProviderState state) implements ModelProvider {
        @Override
        public void chat(ChatRequest request, Consumer<ChatEvent> events) {
            throw new UnsupportedOperationException("not called by models:list");
        }
    }

    private static String run(ModelsCommands commands, boolean json) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        commands.list(json, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listsEachProvidersStateSortedWithWhatToConfigure() throws Exception {
        ModelsCommands commands = new ModelsCommands();
        commands.addProvider(new Fixed("openai", List.of(), new ProviderState(false, "not configured: set [provider.openai] base_url")));
        commands.addProvider(new Fixed("ollama", List.of("llama3.2"), new ProviderState(true, "GET http://127.0.0.1:11434/api/tags: 1 model(s)")));
        String human = run(commands, false);
        assertThat(human).contains("ollama", "llama3.2", "openai", "set [provider.openai] base_url");
        assertThat(human.indexOf("ollama")).isLessThan(human.indexOf("openai"));
        JsonNode json = new ObjectMapper().readTree(run(commands, true));
        assertThat(json).hasSize(2);
        assertThat(json.get(0).path("provider").asText()).isEqualTo("ollama");
        assertThat(json.get(0).path("reachable").asBoolean()).isTrue();
        assertThat(json.get(1).path("reachable").asBoolean()).isFalse();
        assertThat(json.get(1).path("models").asText()).isEqualTo("(any)");
    }

    @Test
    void sayWhenNoProviderIsInstalled() {
        assertThat(run(new ModelsCommands(), false)).contains("no model provider bundle is installed");
        assertThat(run(new ModelsCommands(), true).strip()).isEqualTo("[ ]");
    }

    record Replying(String name, List<String> models, List<ChatEvent> reply) implements ModelProvider {
        @Override
        public ProviderState state() {
            return new ProviderState(true, "test");
        }

        @Override
        public void chat(ChatRequest request, Consumer<ChatEvent> events) {
            reply.forEach(events);
        }
    }

    @Test
    void chatStreamsTextAndToolCallsAndReportsUsage() {
        Replying p = new Replying("ollama", List.of("qwen3"), List.of(new ChatEvent.TextDelta("Hel"), new ChatEvent.TextDelta("lo"),
                new ChatEvent.ToolCallRequested(new ToolUse("c1", "read_file", "{\"path\":\"a\"}")),
                new ChatEvent.Done(new Usage(3, 2, 0), "stop")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ModelsCommands.chat(p, ModelsCommands.request(p, "", 64, "hi"), false, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Hello", "[tool call c1: read_file {\"path\":\"a\"}]");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("done: stop, 3 tokens in, 2 out");
        assertThat(ModelsCommands.request(p, "", 64, "hi", "there").model()).isEqualTo("qwen3");
    }

    @Test
    void aFailedCallFailsTheCommandWithTheReasonAndJsonIsOneEventALine() {
        Replying p = new Replying("openai", List.of(), List.of(new ChatEvent.TextDelta("par"),
                new ChatEvent.Failed("provider openai gone: its bundle stopped", true)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ModelsCommands.chat(p, ModelsCommands.request(p, "m", 64, "hi"), true, ps, ps))
                .isInstanceOf(CommandFailedException.class).hasMessageContaining("provider openai gone");
        assertThat(out.toString(StandardCharsets.UTF_8).strip().split("\n")).hasSize(2)
                .allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
        assertThatThrownBy(() -> ModelsCommands.request(p, "", 64, "hi")).hasMessageContaining("give --model NAME");
        assertThatThrownBy(() -> ModelsCommands.request(p, "m", 0, "hi")).hasMessageContaining("--max-tokens 0");
    }

    @Test
    void theUsageDescribesTheCommandsExactly() {
        assertThat(UsageCheck.mismatches(ModelsCommands.class, ModelsArea.USAGE)).isEmpty();
    }
}
