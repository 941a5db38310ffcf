package org.crustyclaw.provider.anthropic;

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
import org.crustyclaw.provider.common.testing.MemorySecrets;
import org.crustyclaw.provider.common.testing.RecordingPacer;
import org.crustyclaw.provider.common.testing.ReplayServer;
import org.crustyclaw.provider.common.testing.ReplayServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class AnthropicProviderTest {

    private static final String SSE = "text/event-stream";
    private static final String KEY = "sk-ant-api03-test-key";
    private final RecordingPacer pacer = new RecordingPacer();
    private ReplayServer server;
    private StreamingProvider provider;

    @BeforeEach
    void start() throws IOException {
        server = new ReplayServer();
        ProviderSettings s = new ProviderSettings("anthropic", Optional.of(server.base()), List.of(), "anthropic_api_key",
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60), 2, 0, new ProviderSettings.Prices(3, 15));
        provider = new StreamingProvider(new AnthropicProtocol(), s,
                () -> Optional.of(new MemorySecrets().with("anthropic_api_key", KEY)), Optional::empty, pacer, () -> 0.5);
    }

    @AfterEach
    void stop() {
        provider.close();
        server.close();
    }

    static List<String> recorded(String name) throws IOException {
        try (InputStream in = AnthropicProviderTest.class.getResourceAsStream("/recorded/" + name)) {
            return ReplayServer.pieces(new String(in.readAllBytes(), StandardCharsets.UTF_8), "\n\n");
        }
    }

    private static ChatRequest ask(String text) {
        return new ChatRequest("claude-sonnet-4-5", List.of(ChatMessage.system("be brief"), ChatMessage.user(text)), List.of(), 1024);
    }

    @Test
    void textAndToolUseBlocksWithInputJsonDeltasPingAndAnUnknownEvent() throws Exception {
        server.on("/v1/messages", Reply.stream(SSE, recorded("tool-use.sse")));
        Events events = new Events();
        provider.chat(ask("what is in the README?"), events);
        assertThat(events.text()).isEqualTo("Okay, let me look.");
        assertThat(events.calls()).extracting(ChatEvent.ToolCallRequested::call).containsExactly(
                new ToolUse("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "read_file", "{\"path\": \"README.md\"}"),
                new ToolUse("toolu_02Sh", "shell", "{\"command\": [\"ls\"]}"));
        // 472 x 3 + 89 x 15 micro-USD
        assertThat(events.last()).isEqualTo(new ChatEvent.Done(new Usage(472, 89, 2751), "tool_use"));
        var sent = server.received.get(0);
        assertThat(sent.headers().get("x-api-key")).containsExactly(KEY);
        assertThat(sent.headers().get("anthropic-version")).containsExactly("2023-06-01");
        JsonNode body = new ObjectMapper().readTree(sent.body());
        assertThat(body.path("system").asText()).isEqualTo("be brief");
        assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("user");
    }

    @Test
    void anOverloadedErrorEventMidStreamFailsRetriably() throws Exception {
        server.on("/v1/messages", Reply.stream(SSE, recorded("overloaded.sse")));
        Events events = new Events();
        provider.chat(ask("x"), events);
        assertThat(events.text()).isEqualTo("Hel");
        assertThat(events.last()).isEqualTo(new ChatEvent.Failed("Anthropic reported overloaded_error mid-stream: Overloaded", true));
    }

    @Test
    void aStreamCutInsideAToolUseNeverEmitsTheHalfCall() throws Exception {
        server.on("/v1/messages", Reply.stream(SSE, recorded("cut.sse")));
        Events events = new Events();
        provider.chat(ask("x"), events);
        assertThat(events.calls()).isEmpty();
        assertThat(((ChatEvent.Failed) events.last()).reason()).contains("ended before the reply was complete");
    }

    @Test
    void a529OverloadedIsRetriedHonouringRetryAfter() throws Exception {
        server.on("/v1/messages", Reply.json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
                Map.of("retry-after", "3")), Reply.stream(SSE, recorded("tool-use.sse")));
        Events events = new Events();
        provider.chat(ask("x"), events);
        assertThat(pacer.waits).containsExactly(Duration.ofSeconds(3));
        assertThat(events.last()).isInstanceOf(ChatEvent.Done.class);
    }

    @Test
    void aBadRequestIsNotRetried() throws Exception {
        server.on("/v1/messages", Reply.json(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"messages: roles must alternate\"}}", Map.of()));
        Events events = new Events();
        provider.chat(ask("x"), events);
        ChatEvent.Failed failed = (ChatEvent.Failed) events.last();
        assertThat(failed.reason()).contains("HTTP 400", "invalid_request_error: messages: roles must alternate");
        assertThat(failed.retriable()).isFalse();
    }

    @Test
    void toolTurnsBecomeToolUseAndMergedToolResultBlocks() throws Exception {
        server.on("/v1/messages", Reply.stream(SSE, recorded("tool-use.sse")));
        ToolUse a = new ToolUse("toolu_a", "read_file", "{\"path\":\"a\"}");
        ToolUse b = new ToolUse("toolu_b", "read_file", "{\"path\":\"b\"}");
        provider.chat(new ChatRequest("claude-sonnet-4-5", List.of(ChatMessage.user("read a and b"),
                ChatMessage.assistant("Reading.", List.of(a, b)), ChatMessage.toolResult("toolu_a", "A"),
                ChatMessage.toolResult("toolu_b", "B")), List.of(), 64), new Events());
        JsonNode messages = new ObjectMapper().readTree(server.received.get(0).body()).path("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(1).path("content").get(1).path("type").asText()).isEqualTo("tool_use");
        assertThat(messages.get(1).path("content").get(1).path("input").path("path").asText()).isEqualTo("a");
        JsonNode results = messages.get(2).path("content");
        assertThat(messages.get(2).path("role").asText()).isEqualTo("user");
        assertThat(results).hasSize(2);
        assertThat(results.get(1).path("type").asText()).isEqualTo("tool_result");
        assertThat(results.get(1).path("tool_use_id").asText()).isEqualTo("toolu_b");
    }
}
