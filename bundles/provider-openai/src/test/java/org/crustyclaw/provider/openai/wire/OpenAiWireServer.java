package org.crustyclaw.provider.openai.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP server speaking OpenAI's Chat Completions streaming wire format exactly
 * (openai/openai-openapi: {@code chat.completion.chunk} objects as SSE {@code data:} lines,
 * {@code tool_calls[]} fragments with {@code index}, a final usage chunk with empty
 * {@code choices}, {@code data: [DONE]}), and {@code GET /v1/models}.
 *
 * <p>Scriptable: each request is answered by the first {@link Turn} whose {@code when} text occurs
 * in the request's last message (a user turn or a tool result), else by the first turn with an
 * empty {@code when}. A reply is text, tool calls (their arguments cut into small fragments as
 * OpenAI sends them), a recorded stream replayed byte for byte, or an HTTP error. Usable from any
 * module's tests through this module's test-jar; point a daemon's {@code [provider.openai]
 * base_url} at {@link #baseUrl()}.
 */
public final class OpenAiWireServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One scripted answer.
     *
     * @param when  text the request's last message must contain; empty matches any request
     * @param reply the answer
     * @param once  true: the turn is used up by the first request it answers
     */
    public record Turn(String when, Reply reply, boolean once) {
        public Turn(String when, Reply reply) {
            this(when, reply, false);
        }

        /** A turn that answers one request only (a 429 before a success, say). */
        public static Turn once(String when, Reply reply) {
            return new Turn(when, reply, true);
        }
    }

    /** What a turn answers with. */
    public sealed interface Reply {
        /** The assistant's text, streamed in pieces of a few characters. */
        record Text(String text) implements Reply {}

        /** Tool calls, all in one reply, their argument JSON fragmented and the calls interleaved. */
        record ToolCalls(List<Call> calls) implements Reply {}

        /** A recorded SSE body, sent as is (status 200, text/event-stream). */
        record Raw(String body) implements Reply {}

        /** An HTTP error with a JSON body and headers such as Retry-After. */
        record Error(int status, Map<String, String> headers, String body) implements Reply {}

        /** Headers and part of a body, then the stream stays open until {@link #release()}. */
        record Stall(String firstPart) implements Reply {}
    }

    /** A tool call of a scripted reply. */
    public record Call(String name, String argumentsJson) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "openai-wire-server");
        t.setDaemon(true);
        return t;
    });
    private final List<Turn> script = new CopyOnWriteArrayList<>();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<Map<String, List<String>>> headers = new CopyOnWriteArrayList<>();
    private final BlockingQueue<JsonNode> arrivals = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> models;
    private int callCounter;

    private OpenAiWireServer(List<Turn> turns, List<String> models) throws IOException {
        this.models = List.copyOf(models);
        script.addAll(turns);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", this::chat);
        server.createContext("/v1/models", this::models);
        server.start();
    }

    /** Starts on a free loopback port. */
    public static OpenAiWireServer start(List<Turn> turns) throws IOException {
        return new OpenAiWireServer(turns, List.of("gpt-test"));
    }

    public static OpenAiWireServer start(List<Turn> turns, List<String> models) throws IOException {
        return new OpenAiWireServer(turns, models);
    }

    /** {@code http://127.0.0.1:PORT/v1}: the value for {@code base_url}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    /** Replaces the script (the next request sees the new one). */
    public void script(List<Turn> turns) {
        script.clear();
        script.addAll(turns);
    }

    /** The JSON bodies of the chat requests received, in order. */
    public List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    /** The request headers of each chat request, in order (names lower case). */
    public List<Map<String, List<String>>> requestHeaders() {
        return List.copyOf(headers);
    }

    /** Waits for the next chat request to arrive (tests wait for events, not for time). */
    public JsonNode awaitRequest() throws InterruptedException {
        return arrivals.take();
    }

    /** Lets stalled replies go on (they then end the stream without a final event). */
    public void release() {
        release.countDown();
    }

    private void models(HttpExchange ex) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (String m : models) {
            data.addObject().put("id", m).put("object", "model").put("created", 1700000000).put("owned_by", "wire-test");
        }
        send(ex, 200, "application/json", JSON.writeValueAsString(body));
    }

    private void chat(HttpExchange ex) throws IOException {
        try (ex) {
            JsonNode request = JSON.readTree(ex.getRequestBody());
            requests.add(request);
            Map<String, List<String>> h = new java.util.TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
            headers.add(h);
            Reply reply = choose(request);
            arrivals.add(request);
            if (reply instanceof Reply.Error e) {
                e.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
                send(ex, e.status(), "application/json", e.body());
            } else if (reply instanceof Reply.Raw r) {
                stream(ex, r.body(), false);
            } else if (reply instanceof Reply.Stall s) {
                stream(ex, s.firstPart(), true);
            } else if (reply instanceof Reply.Text t) {
                stream(ex, Chunks.text(request.path("model").asText(), t.text()), false);
            } else if (reply instanceof Reply.ToolCalls c) {
                stream(ex, Chunks.toolCalls(request.path("model").asText(), c.calls(), nextIds(c.calls().size())), false);
            }
        }
    }

    private synchronized List<String> nextIds(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("call_" + (++callCounter));
        }
        return ids;
    }

    private synchronized Reply choose(JsonNode request) {
        JsonNode messages = request.path("messages");
        String last = messages.isEmpty() ? "" : messages.get(messages.size() - 1).path("content").asText("");
        for (boolean any : new boolean[] {false, true}) {
            for (Turn t : script) {
                if (any ? t.when().isEmpty() : !t.when().isEmpty() && last.contains(t.when())) {
                    if (t.once()) {
                        script.remove(t);
                    }
                    return t.reply();
                }
            }
        }
        return new Reply.Error(400, Map.of(), "{\"error\":{\"message\":\"no scripted turn matches: " + last.replace("\"", "'")
                + "\",\"type\":\"invalid_request_error\"}}");
    }

    private void stream(HttpExchange ex, String body, boolean stall) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.getResponseHeaders().add("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        // one write per event, flushed, so the client sees a stream, not one buffer
        for (String event : body.split("(?<=\n\n)")) {
            out.write(event.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        if (stall) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        out.close();
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
