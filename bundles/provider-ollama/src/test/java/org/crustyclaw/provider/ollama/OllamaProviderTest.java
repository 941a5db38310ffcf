package org.crustyclaw.provider.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.crustyclaw.api.model.ChatEvent;
import org.crustyclaw.api.model.ChatMessage;
import org.crustyclaw.api.model.ChatRequest;
import org.crustyclaw.api.model.ToolUse;
import org.crustyclaw.api.model.Usage;
import org.crustyclaw.provider.common.ProviderSettings;
import org.crustyclaw.provider.common.StreamingProvider;
import org.crustyclaw.provider.common.testing.Events;
import org.crustyclaw.provider.common.testing.RecordingPacer;
import org.crustyclaw.provider.common.testing.ReplayServer;
import org.crustyclaw.provider.common.testing.ReplayServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class OllamaProviderTest {

    private static final String NDJSON = "application/x-ndjson";
    private final RecordingPacer pacer = new RecordingPacer();
    private ReplayServer server;
    private StreamingProvider provider;

    @BeforeEach
    void start() throws IOException {
        server = new ReplayServer();
        ProviderSettings s = new ProviderSettings("ollama", Optional.of(server.base()), List.of("llama3.2"), "",
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60), 2, 0, ProviderSettings.Prices.NONE);
        provider = new StreamingProvider(new OllamaProtocol(), s, Optional::empty, Optional::empty, pacer, () -> 0.5);
    }

    @AfterEach
    void stop() {
        provider.close();
        server.close();
    }

    static List<String> recorded(String name) throws IOException {
        try (InputStream in = OllamaProviderTest.class.getResourceAsStream("/recorded/" + name)) {
            return ReplayServer.pieces(new String(in.readAllBytes(), StandardCharsets.UTF_8), "\n");
        }
    }

    private static ChatRequest ask(String text) {
        return new ChatRequest("llama3.2", List.of(ChatMessage.user(text)), List.of(), 128);
    }

    @Test
    void streamsNdjsonTextAndCountsTokensFromTheDoneLine() throws Exception {
        server.on("/api/chat", Reply.stream(NDJSON, recorded("text.ndjson")));
        Events events = new Events();
        provider.chat(ask("why is the sky blue?"), events);
        assertThat(events.text()).isEqualTo("The sky is blue.");
        assertThat(events.last()).isEqualTo(new ChatEvent.Done(new Usage(26, 282, 0), "stop"));
        JsonNode sent = new ObjectMapper().readTree(server.received.get(0).body());
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.path("options").path("num_predict").asInt()).isEqualTo(128);
    }

    @Test
    void toolCallObjectsBecomeRawJsonTextWithIds() throws Exception {
        server.on("/api/chat", Reply.stream(NDJSON, recorded("tool-calls.ndjson")));
        Events events = new Events();
        provider.chat(ask("look"), events);
        assertThat(events.calls()).extracting(ChatEvent.ToolCallRequested::call).containsExactly(
                new ToolUse("call_1", "read_file", "{\"path\":\"README.md\"}"),
                new ToolUse("call_2", "shell", "{\"command\":[\"ls\",\"-l\"],\"timeout\":30}"));
        assertThat(events.terminals()).isEqualTo(1);
    }

    @Test
    void aLineCutByTheEndOfTheStreamIsNotTakenForTheLastOne() throws Exception {
        server.on("/api/chat", Reply.stream(NDJSON, recorded("cut.ndjson")));
        Events events = new Events();
        provider.chat(ask("x"), events);
        assertThat(events.text()).isEqualTo("Half");
        assertThat(((ChatEvent.Failed) events.last()).reason()).contains("ended before the reply was complete");
    }

    @Test
    void anErrorLineMidStreamFails() throws Exception {
        server.on("/api/chat", Reply.stream(NDJSON, recorded("error.ndjson")));
        Events events = new Events();
        provider.chat(ask("x"), events);
        assertThat(((ChatEvent.Failed) events.last()).reason()).contains("unexpected EOF");
    }

    @Test
    void aMissingModelIsA404WithOllamasMessageAndNoRetry() throws Exception {
        server.on("/api/chat", Reply.json(404, "{\"error\":\"model \\\"llama3.2\\\" not found, try pulling it first\"}", Map.of()));
        Events events = new Events();
        provider.chat(ask("x"), events);
        ChatEvent.Failed failed = (ChatEvent.Failed) events.last();
        assertThat(failed.reason()).contains("HTTP 404", "try pulling it first");
        assertThat(failed.retriable()).isFalse();
        assertThat(server.received).hasSize(1);
    }

    @Test
    void retriesA503ThenStreams() throws Exception {
        server.on("/api/chat", Reply.json(503, "{\"error\":\"server busy, please try again.  maximum pending requests exceeded\"}",
                Map.of("Retry-After", "2")), Reply.stream(NDJSON, recorded("text.ndjson")));
        Events events = new Events();
        provider.chat(ask("x"), events);
        assertThat(pacer.waits).containsExactly(Duration.ofSeconds(2));
        assertThat(events.text()).isEqualTo("The sky is blue.");
    }

    @Test
    void stateNamesThePulledModelsAndAMissingOne() throws Exception {
        server.on("/api/tags", Reply.json(200, "{\"models\":[{\"name\":\"qwen3:8b\",\"model\":\"qwen3:8b\",\"size\":5200000000}]}", Map.of()));
        var state = provider.state();
        assertThat(state.reachable()).isTrue();
        assertThat(state.detail()).contains("qwen3:8b", "'llama3.2' is not pulled", "ollama pull llama3.2");
    }

    @Test
    void writesToolResultsWithTheToolNameOllamaExpects() throws Exception {
        server.on("/api/chat", Reply.stream(NDJSON, recorded("text.ndjson")));
        ToolUse use = new ToolUse("call_1", "read_file", "{\"path\":\"a\"}");
        provider.chat(new ChatRequest("llama3.2", List.of(ChatMessage.user("read a"), ChatMessage.assistant("", List.of(use)),
                ChatMessage.toolResult("call_1", "text of a")), List.of(), 64), new Events());
        JsonNode messages = new ObjectMapper().readTree(server.received.get(0).body()).path("messages");
        assertThat(messages.get(1).path("tool_calls").get(0).path("function").path("arguments").path("path").asText()).isEqualTo("a");
        assertThat(messages.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(messages.get(2).path("tool_name").asText()).isEqualTo("read_file");
    }
}
