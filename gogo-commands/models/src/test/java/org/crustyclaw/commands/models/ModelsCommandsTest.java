package org.crustyclaw.commands.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import org.crustyclaw.api.model.ChatEvent;
import org.crustyclaw.api.model.ChatRequest;
import org.crustyclaw.api.model.ModelProvider;
import org.crustyclaw.api.model.ProviderState;
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

    @Test
    void theUsageDescribesTheCommandsExactly() {
        assertThat(UsageCheck.mismatches(ModelsCommands.class, ModelsArea.USAGE)).isEmpty();
    }
}
