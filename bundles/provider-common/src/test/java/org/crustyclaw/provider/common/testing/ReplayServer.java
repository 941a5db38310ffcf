package org.crustyclaw.provider.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP server that answers each path from a queue of recorded replies (the last one
 * repeats): status, headers, a body sent in the pieces it was recorded in, optionally left open.
 */
public final class ReplayServer implements AutoCloseable {

    /**
     * One reply.
     *
     * @param status  HTTP status
     * @param type    Content-Type
     * @param headers further headers (Retry-After, ...)
     * @param pieces  the body, each piece written and flushed on its own
     * @param stall   keep the stream open after the pieces until {@link #release()}
     */
    public record Reply(int status, String type, Map<String, String> headers, List<String> pieces, boolean stall) {
        public static Reply stream(String type, List<String> pieces) {
            return new Reply(200, type, Map.of(), pieces, false);
        }

        public static Reply json(int status, String body, Map<String, String> headers) {
            return new Reply(status, "application/json", headers, List.of(body), false);
        }

        public static Reply stalled(String type, List<String> pieces) {
            return new Reply(200, type, Map.of(), pieces, true);
        }
    }

    /** A request as received. */
    public record Received(String method, String path, Map<String, List<String>> headers, String body) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "replay-server");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Queue<Reply>> replies = new java.util.concurrent.ConcurrentHashMap<>();
    public final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    public ReplayServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public ReplayServer on(String path, Reply... answers) {
        replies.put(path, new ConcurrentLinkedQueue<>(List.of(answers)));
        return this;
    }

    public void release() {
        release.countDown();
    }

    /** Splits a recorded body into its pieces: SSE events at blank lines, NDJSON at newlines. */
    public static List<String> pieces(String body, String separator) {
        return List.of(body.split("(?<=" + separator + ")"));
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            Map<String, List<String>> h = new java.util.TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
            String path = ex.getRequestURI().getPath();
            received.add(new Received(ex.getRequestMethod(), path, h, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            Queue<Reply> q = replies.get(path);
            if (q == null || q.isEmpty()) {
                byte[] body = ("{\"error\":\"no reply recorded for " + path + "\"}").getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(404, body.length);
                ex.getResponseBody().write(body);
                return;
            }
            Reply r = q.size() > 1 ? q.poll() : q.peek();
            ex.getResponseHeaders().add("Content-Type", r.type());
            r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.sendResponseHeaders(r.status(), 0);
            OutputStream out = ex.getResponseBody();
            for (String piece : r.pieces()) {
                out.write(piece.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            if (r.stall()) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
