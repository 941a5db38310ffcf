package org.crustyclaw.channel.signal;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Figures for issue 15, printed side by side in one run:
 * <ul>
 * <li>inbound messages per second through the channel (stored, rate limited, mapped, handed to
 * a router that does nothing), against draining the same server with bare receive calls that
 * only parse the JSON (target: at least 500/s);
 * <li>time from a signal-cli-rest-api restart until a message sent meanwhile is routed, in
 * normal and json-rpc mode (target: under 5 s).
 * </ul>
 */
public final class SignalBench {

    static final String ACCOUNT = "+4915100000001";

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        System.out.printf("inbound messages/s (%d messages from 100 senders, normal mode)%n", messages);
        for (int round = 1; round <= 3; round++) {
            double raw = raw(messages);
            double channel = throughput(messages);
            System.out.printf("  round %d: raw receive+parse %8.0f/s   channel to router %8.0f/s%n", round, raw, channel);
        }
        for (String mode : List.of("normal", "json-rpc")) {
            List<Long> ms = recovery(mode, 5);
            Collections.sort(ms);
            System.out.printf("recovery after a server restart (%s): p50 %d ms, max %d ms over %d restarts%n", mode,
                    ms.get(ms.size() / 2), ms.get(ms.size() - 1), ms.size());
        }
    }

    private static void load(SignalRestServer server, int messages) {
        for (int i = 0; i < messages; i++) {
            server.deliver(ACCOUNT, "+49151" + (1000000 + i % 100), "status " + i);
        }
    }

    /** The baseline: the same messages drained with bare receive calls, parsed, nothing else. */
    private static double raw(int messages) throws Exception {
        try (SignalRestServer server = new SignalRestServer("normal")) {
            server.account(ACCOUNT);
            load(server, messages);
            HttpClient http = HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            long start = System.nanoTime();
            int got = 0;
            while (got < messages) {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(server.uri() + "/v1/receive/"
                        + SignalClient.path(ACCOUNT) + "?timeout=1")).build(), HttpResponse.BodyHandlers.ofByteArray());
                JsonNode batch = json.readTree(r.body());
                for (JsonNode n : batch) {
                    Envelope.parse(n);
                    got++;
                }
            }
            return messages / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static double throughput(int messages) throws Exception {
        Path state = Files.createTempDirectory("signal-bench-");
        try (SignalRestServer server = new SignalRestServer("normal")) {
            server.account(ACCOUNT);
            load(server, messages);
            CountDownLatch done = new CountDownLatch(messages);
            long start = System.nanoTime();
            SignalChannel channel = new SignalChannel(config(server.uri(), "normal"), m -> done.countDown(), state);
            try {
                if (!done.await(10, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("only " + (messages - done.getCount()) + " of " + messages + " routed");
                }
                return messages / ((System.nanoTime() - start) / 1e9);
            } finally {
                channel.deactivate();
            }
        } finally {
            deleteTree(state);
        }
    }

    private static List<Long> recovery(String mode, int restarts) throws Exception {
        Path state = Files.createTempDirectory("signal-bench-");
        List<Long> out = new ArrayList<>();
        try (SignalRestServer server = new SignalRestServer(mode)) {
            server.account(ACCOUNT);
            Semaphore routed = new Semaphore(0);
            SignalChannel channel = new SignalChannel(config(server.uri(), mode), m -> routed.release(), state);
            try {
                server.deliver(ACCOUNT, "+4915100000002", "warm up");
                routed.acquire();
                for (int i = 0; i < restarts; i++) {
                    server.drop();
                    while (channel.health().up()) {
                        Thread.onSpinWait();
                    }
                    server.deliver(ACCOUNT, "+4915100000002", "after restart " + i);
                    long start = System.nanoTime();
                    server.restart();
                    if (!routed.tryAcquire(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("nothing routed within 60 s of restart " + i);
                    }
                    long took = (System.nanoTime() - start) / 1_000_000;
                    if (took > 5000) {
                        System.out.println("  slow restart " + i + ": " + took + " ms; health " + channel.health());
                    }
                    out.add(took);
                }
            } finally {
                channel.deactivate();
            }
        } finally {
            deleteTree(state);
        }
        return out;
    }

    /** The shipped defaults (backoff 500 ms doubling to 30 s, pings every 15 s) with limits out of the way. */
    private static SignalChannel.Config config(URI server, String mode) {
        Map<String, Object> values = new HashMap<>(Map.of("number", ACCOUNT, "baseUrl", server.toString(), "mode", mode,
                "senderPerMinute", 1e9, "senderBurst", 1_000_000, "globalPerMinute", 1e9, "groupPerMinute", 1e9,
                "readReceipts", false, "typingIndicators", false, "receiveTimeoutSeconds", 1));
        return (SignalChannel.Config) Proxy.newProxyInstance(SignalChannel.Config.class.getClassLoader(),
                new Class<?>[] {SignalChannel.Config.class}, (p, m, a) -> switch (m.getName()) {
                    case "annotationType" -> SignalChannel.Config.class;
                    case "toString" -> "bench config";
                    default -> values.getOrDefault(m.getName(), m.getDefaultValue());
                });
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private SignalBench() {}

}
