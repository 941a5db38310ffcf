package org.crustyclaw.provider.openai;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import org.crustyclaw.api.model.ChatEvent;
import org.crustyclaw.api.model.ChatMessage;
import org.crustyclaw.api.model.ChatRequest;
import org.crustyclaw.provider.common.ProviderSettings;
import org.crustyclaw.provider.common.StreamingProvider;

import com.sun.net.httpserver.HttpServer;

/**
 * Time to the first token: through the {@code openai} provider (request written from a
 * {@link ChatRequest}, SSE framing, chunk decoding, the first {@code TextDelta}) against reading the
 * same local stream raw with the same JDK client (POST the same body, read bytes until the first
 * {@code "content"} delta arrives). The server sends the first chunk as soon as the request is in,
 * then holds the stream until the client has measured, so both figures are the client side alone.
 * Lives in the provider's package to reach its package-private protocol. Prints, asserts nothing.
 */
public final class FirstTokenBench {

    private static final String FIRST = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":null}]}\n\n";
    private static final String REST = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}\n\ndata: [DONE]\n\n";

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("bench.runs", 300);
        int warmup = Integer.getInteger("bench.warmup", 200);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/v1/chat/completions", ex -> {
            try (ex; InputStream in = ex.getRequestBody()) {
                in.readAllBytes();
                ex.getResponseHeaders().add("Content-Type", "text/event-stream");
                // a fresh connection per call for both clients: a reused keep-alive connection meets
                // Nagle and delayed ACK (~40 ms) on the JDK server, which would measure TCP, not the client
                ex.getResponseHeaders().add("Connection", "close");
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                out.write(FIRST.getBytes(StandardCharsets.UTF_8));
                out.flush();
                out.write(REST.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        });
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
        ChatRequest request = new ChatRequest("m", List.of(ChatMessage.system("be brief"), ChatMessage.user("say hello")),
                List.of(), 64);
        ProviderSettings settings = new ProviderSettings("openai", Optional.of(base), List.of(), "", Duration.ofSeconds(5),
                Duration.ofSeconds(30), Duration.ofSeconds(60), 0, 0, ProviderSettings.Prices.NONE);
        HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String body = OpenAiProtocol.body(request);
        try (StreamingProvider provider = new StreamingProvider(new OpenAiProtocol(), settings, Optional::empty, Optional::empty)) {
            List<Long> viaProvider = new ArrayList<>();
            List<Long> viaRaw = new ArrayList<>();
            for (int i = 0; i < warmup + runs; i++) {
                long p = throughProvider(provider, request);
                long r = rawStream(raw, base, body);
                if (i >= warmup) {
                    viaProvider.add(p);
                    viaRaw.add(r);
                }
            }
            print("raw java.net.http stream, first content bytes", viaRaw);
            print("openai provider, first TextDelta", viaProvider);
            List<Long> diff = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                diff.add(viaProvider.get(i) - viaRaw.get(i));
            }
            print("overhead (provider - raw, paired)", diff);
        } finally {
            server.stop(0);
            System.exit(0);
        }
    }

    private static long throughProvider(StreamingProvider provider, ChatRequest request) throws InterruptedException {
        long[] first = {0};
        long start = System.nanoTime();
        provider.chat(request, e -> {
            if (e instanceof ChatEvent.TextDelta && first[0] == 0) {
                first[0] = System.nanoTime();
            }
        });
        if (first[0] == 0) {
            throw new IllegalStateException("no text arrived through the provider");
        }
        return first[0] - start;
    }

    private static long rawStream(HttpClient client, URI base, String body) throws Exception {
        long start = System.nanoTime();
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<InputStream> r = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        long first = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[8192];
            StringBuilder seen = new StringBuilder();
            int n;
            while ((n = in.read(buf)) > 0) {
                seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                if (first == 0 && seen.indexOf("\"content\":\"Hello\"") >= 0) {
                    first = System.nanoTime();
                }
            }
        }
        if (first == 0) {
            throw new IllegalStateException("no content arrived raw");
        }
        return first - start;
    }

    private static void print(String what, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "%-45s median %7.3f ms   p90 %7.3f ms   p99 %7.3f ms   (n=%d)%n", what,
                ms(sorted.get(sorted.size() / 2)), ms(sorted.get(sorted.size() * 9 / 10)),
                ms(sorted.get(Math.min(sorted.size() - 1, sorted.size() * 99 / 100))), sorted.size());
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
