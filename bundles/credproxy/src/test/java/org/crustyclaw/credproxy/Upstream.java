package org.crustyclaw.credproxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback that records what it receives and answers with the
 * request's headers and body echoed back (so a test sees what went upstream, and what an
 * echo of a secret would do).
 */
final class Upstream implements AutoCloseable {

    /** What one request looked like on arrival. */
    record Received(String method, String uri, Map<String, List<String>> headers, String body) {}

    private final HttpServer server;
    final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();

    Upstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] reply = ("uri=" + exchange.getRequestURI() + "\nauth=" + auth + "\nbody=" + body + "\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            exchange.getResponseHeaders().add("X-Echo-Auth", String.valueOf(auth));
            if (exchange.getRequestURI().getPath().equals("/chunked")) {
                exchange.sendResponseHeaders(200, 0);
            } else {
                exchange.sendResponseHeaders(200, reply.length);
            }
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    Received take() throws InterruptedException {
        Received r = received.poll(60, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("the upstream server received nothing");
        }
        return r;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
