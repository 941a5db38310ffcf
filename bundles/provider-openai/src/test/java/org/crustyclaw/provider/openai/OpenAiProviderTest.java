package org.crustyclaw.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.crustyclaw.api.model.ChatEvent;
import org.crustyclaw.api.model.ChatMessage;
import org.crustyclaw.api.model.ChatRequest;
import org.crustyclaw.api.model.ProviderState;
import org.crustyclaw.api.model.ToolUse;
import org.crustyclaw.api.model.Usage;
import org.crustyclaw.api.sandbox.TrustTier;
import org.crustyclaw.api.tool.ToolDescriptor;
import org.crustyclaw.provider.common.ProviderSettings;
import org.crustyclaw.provider.common.StreamingProvider;
import org.crustyclaw.provider.common.testing.Events;
import org.crustyclaw.provider.common.testing.MemorySecrets;
import org.crustyclaw.provider.common.testing.RecordingPacer;
import org.crustyclaw.provider.openai.wire.OpenAiWireServer;
import org.crustyclaw.provider.openai.wire.OpenAiWireServer.Call;
import org.crustyclaw.provider.openai.wire.OpenAiWireServer.Reply;
import org.crustyclaw.provider.openai.wire.OpenAiWireServer.Turn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class OpenAiProviderTest {

    private static final String KEY = "sk-test-0123456789abcdef";
    private final RecordingPacer pacer = new RecordingPacer();
    private final MemorySecrets secrets = new MemorySecrets().with("openai_api_key", KEY);
    private OpenAiWireServer server;
    private StreamingProvider provider;

    @AfterEach
    void stop() {
        if (provider != null) {
            provider.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private StreamingProvider provider(URI base, Duration read, int retries) {
        ProviderSettings s = new ProviderSettings("openai", Optional.of(base), List.of(), "openai_api_key",
                Duration.ofSeconds(5), read, Duration.ofSeconds(60), retries, 0, new ProviderSettings.Prices(0.15, 0.60));
        provider = new StreamingProvider(new OpenAiProtocol(), s, () -> Optional.of(secrets), Optional::empty, pacer, () -> 0.5);
        return provider;
    }

    private StreamingProvider serve(Turn... turns) throws Exception {
        server = OpenAiWireServer.start(List.of(turns));
        return provider(server.baseUrl(), Duration.ofSeconds(30), 2);
    }

    static String recorded(String name) throws java.io.IOException {
        try (java.io.InputStream in = OpenAiProviderTest.class.getResourceAsStream("/recorded/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static ChatRequest ask(String text) {
        return new ChatRequest("gpt-test", List.of(ChatMessage.system("be brief"), ChatMessage.user(text)), List.of(), 256);
    }

    @Test
    void streamsTextAndEndsWithUsageAndCost() throws Exception {
        serve(new Turn("", new Reply.Text("Hello from the wire, in pieces.")));
        Events events = new Events();
        provider.chat(ask("hi"), events);
        assertThat(events.text()).isEqualTo("Hello from the wire, in pieces.");
        assertThat(events.all.stream().filter(ChatEvent.TextDelta.class::isInstance).count()).isGreaterThan(3);
        assertThat(events.last()).isInstanceOf(ChatEvent.Done.class);
        ChatEvent.Done done = (ChatEvent.Done) events.last();
        assertThat(done.stopReason()).isEqualTo("stop");
        assertThat(done.usage().inputTokens()).isEqualTo(12);
        assertThat(events.terminals()).isEqualTo(1);
        JsonNode sent = server.requests().get(0);
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(server.requestHeaders().get(0).get("authorization")).containsExactly("Bearer " + KEY);
    }

    @Test
    void recordedInterleavedToolCallsArriveWholeInIndexOrderWithCostFromPrices() throws Exception {
        serve(new Turn("", new Reply.Raw(recorded("two-tool-calls.sse"))));
        Events events = new Events();
        provider.chat(ask("look around"), events);
        assertThat(events.calls()).extracting(ChatEvent.ToolCallRequested::call).containsExactly(
                new ToolUse("call_Ra1", "read_file", "{\"path\": \"README.md\"}"),
                new ToolUse("call_Sh2", "shell", "{\"command\": [\"ls\", \"-l\"]}"));
        // 1000 x 0.15 + 500 x 0.60 micro-USD
        assertThat(events.last()).isEqualTo(new ChatEvent.Done(new Usage(1000, 500, 450), "tool_calls"));
        assertThat(events.terminals()).isEqualTo(1);
    }

    @Test
    void scriptedToolCallsAreFragmentedOnTheWireAndReassembled() throws Exception {
        String args = "{\"path\":\"src/main/java/App.java\",\"max_lines\":200}";
        serve(new Turn("", new Reply.ToolCalls(List.of(new Call("read_file", args), new Call("search", "{\"q\":\"main\"}")))));
        Events events = new Events();
        provider.chat(ask("read it"), events);
        assertThat(events.calls()).extracting(c -> c.call().name()).containsExactly("read_file", "search");
        assertThat(events.calls().get(0).call().argumentsJson()).isEqualTo(args);
    }

    @Test
    void honoursRetryAfterOn429ThenSucceeds() throws Exception {
        serve(Turn.once("", new Reply.Error(429, Map.of("Retry-After", "7"),
                "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}")),
                new Turn("", new Reply.Text("ok")));
        Events events = new Events();
        provider.chat(ask("hi"), events);
        assertThat(pacer.waits).containsExactly(Duration.ofSeconds(7));
        assertThat(events.text()).isEqualTo("ok");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void givesUpAfterMaxRetriesOn5xxWithBackoffThatGrows() throws Exception {
        serve(new Turn("", new Reply.Error(503, Map.of(), "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}")));
        Events events = new Events();
        provider.chat(ask("hi"), events);
        assertThat(server.requests()).hasSize(3);
        assertThat(pacer.waits).hasSize(2);
        assertThat(pacer.waits.get(1)).isGreaterThan(pacer.waits.get(0));
        ChatEvent.Failed failed = (ChatEvent.Failed) events.last();
        assertThat(failed.retriable()).isTrue();
        assertThat(failed.reason()).contains("HTTP 503", "overloaded", "gave up after 3 attempt(s)");
    }

    @Test
    void aRejectedKeyFailsAtOnceWithoutTheKeyInTheMessage() throws Exception {
        serve(new Turn("", new Reply.Error(401, Map.of(), "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY
                + "\",\"type\":\"invalid_request_error\"}}")));
        Events events = new Events();
        provider.chat(ask("hi"), events);
        ChatEvent.Failed failed = (ChatEvent.Failed) events.last();
        assertThat(failed.retriable()).isFalse();
        assertThat(failed.reason()).contains("HTTP 401", "Incorrect API key").doesNotContain(KEY);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aStreamCutMidEventFailsRetriablyAfterTheTextSoFar() throws Exception {
        serve(new Turn("", new Reply.Raw(recorded("cut-mid-event.sse"))));
        Events events = new Events();
        provider.chat(ask("hi"), events);
        assertThat(events.text()).isEqualTo("Hel");
        ChatEvent.Failed failed = (ChatEvent.Failed) events.last();
        assertThat(failed.reason()).contains("ended before the reply was complete");
        assertThat(failed.retriable()).isTrue();
        assertThat(events.terminals()).isEqualTo(1);
    }

    @Test
    void aSilentStreamEndsWithTheReadTimeout() throws Exception {
        server = OpenAiWireServer.start(List.of(new Turn("", new Reply.Stall("data: {\"choices\":[{\"index\":0,\"delta\":"
                + "{\"content\":\"thinking\"},\"finish_reason\":null}]}\n\n"))));
        provider(server.baseUrl(), Duration.ofMillis(300), 0);
        Events events = new Events();
        provider.chat(ask("hi"), events);
        assertThat(events.text()).isEqualTo("thinking");
        assertThat(((ChatEvent.Failed) events.last()).reason()).contains("sent nothing for 300 ms (read_timeout)");
    }

    @Test
    void interruptingTheCallerCancelsAndClosesTheStream() throws Exception {
        serve(new Turn("", new Reply.Stall("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null}]}\n\n")));
        Events events = new Events();
        AtomicReference<Thread> caller = new AtomicReference<>();
        CompletableFuture<Boolean> call = CompletableFuture.supplyAsync(() -> {
            caller.set(Thread.currentThread());
            provider.chat(ask("hi"), events);
            return Thread.interrupted();
        });
        events.first.await();
        caller.get().interrupt();
        assertThat(call.get()).as("interrupt status kept for the caller").isTrue();
        assertThat(events.last()).isEqualTo(new ChatEvent.Failed("cancelled", false));
        assertThat(events.terminals()).isEqualTo(1);
    }

    @Test
    void closingTheProviderEndsAStreamingCallWithProviderGone() throws Exception {
        serve(new Turn("", new Reply.Stall("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null}]}\n\n")));
        Events events = new Events();
        CompletableFuture<Void> call = CompletableFuture.runAsync(() -> provider.chat(ask("hi"), events));
        events.first.await();
        provider.close();
        call.get();
        ChatEvent.Failed failed = (ChatEvent.Failed) events.last();
        assertThat(failed.reason()).contains("provider openai gone");
        assertThat(failed.retriable()).isTrue();
        Events later = new Events();
        provider.chat(ask("again"), later);
        assertThat(((ChatEvent.Failed) later.last()).reason()).contains("gone");
    }

    @Test
    void aMissingSecretNamesItAndHowToSetIt() throws Exception {
        serve(new Turn("", new Reply.Text("never")));
        ProviderSettings s = new ProviderSettings("openai", Optional.of(server.baseUrl()), List.of(), "nope_key",
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), 0, 0, ProviderSettings.Prices.NONE);
        provider = new StreamingProvider(new OpenAiProtocol(), s, () -> Optional.of(secrets), Optional::empty);
        Events events = new Events();
        provider.chat(ask("hi"), events);
        assertThat(((ChatEvent.Failed) events.last()).reason()).contains("secret 'nope_key'", "crustyclaw secrets set nope_key");
        assertThat(server.requests()).isEmpty();
        assertThat(provider.state().detail()).contains("nope_key");
    }

    @Test
    void stateListsTheServedModelsOrSaysWhatToConfigure() throws Exception {
        serve(new Turn("", new Reply.Text("x")));
        ProviderState up = provider.state();
        assertThat(up.reachable()).isTrue();
        assertThat(up.detail()).contains("/v1/models", "gpt-test");

        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        ProviderState down = provider(URI.create("http://127.0.0.1:" + free + "/v1"), Duration.ofSeconds(5), 0).state();
        assertThat(down.reachable()).isFalse();
        assertThat(down.detail()).contains("cannot reach", "base_url");

        ProviderSettings none = new ProviderSettings("openai", Optional.empty(), List.of(), "", Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 0, 0, ProviderSettings.Prices.NONE);
        try (StreamingProvider unconfigured = new StreamingProvider(new OpenAiProtocol(), none, Optional::empty, Optional::empty)) {
            assertThat(unconfigured.state().detail()).startsWith("not configured").contains("[provider.openai] base_url");
            Events events = new Events();
            unconfigured.chat(ask("hi"), events);
            assertThat(((ChatEvent.Failed) events.last()).retriable()).isFalse();
        }
    }

    @Test
    void writesToolTurnsAndToolSchemasInTheWireShape() throws Exception {
        serve(new Turn("", new Reply.Text("done")));
        ToolUse use = new ToolUse("call_1", "read_file", "{\"path\":\"a\"}");
        ToolDescriptor tool = new ToolDescriptor("read_file", "Reads a file.",
                "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}", TrustTier.TRUSTED, List.of(), org.crustyclaw.api.tool.SideEffects.NONE);
        ChatRequest request = new ChatRequest("gpt-test", List.of(ChatMessage.user("read a"),
                ChatMessage.assistant("", List.of(use)), ChatMessage.toolResult("call_1", "contents")), List.of(tool), 100);
        provider.chat(request, new Events());
        JsonNode messages = server.requests().get(0).path("messages");
        assertThat(messages.get(1).path("content").isNull()).isTrue();
        assertThat(messages.get(1).path("tool_calls").get(0).path("function").path("arguments").asText()).isEqualTo("{\"path\":\"a\"}");
        assertThat(messages.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(messages.get(2).path("tool_call_id").asText()).isEqualTo("call_1");
        JsonNode fn = server.requests().get(0).path("tools").get(0).path("function");
        assertThat(fn.path("parameters").path("properties").has("path")).isTrue();
    }

    @Test
    void anUnknownModelIsAProgrammingError() throws Exception {
        serve(new Turn("", new Reply.Text("x")));
        ProviderSettings s = new ProviderSettings("openai", Optional.of(server.baseUrl()), List.of("gpt-a"), "",
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 0, 0, ProviderSettings.Prices.NONE);
        try (StreamingProvider p = new StreamingProvider(new OpenAiProtocol(), s, Optional::empty, Optional::empty)) {
            assertThatThrownBy(() -> p.chat(ask("hi"), new Events())).hasMessageContaining("no model 'gpt-test'");
        }
    }
}
