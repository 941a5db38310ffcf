package org.crustyclaw.channel.signal;

import java.io.IOException;
import java.net.http.WebSocket;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The receive loop on a thread of its own: while the account is not verified it waits and asks
 * the server again; then it polls {@code /v1/receive} (normal and native mode) or holds the
 * WebSocket open (json-rpc mode), reconnecting with doubling, jittered waits after a failure.
 */
final class Receiver {

    private static final System.Logger LOG = System.getLogger(Receiver.class.getName());
    private static final long ACCOUNT_RECHECK_MILLIS = 10_000;

    /** What {@code signal status} and {@code crustyclaw status} show. */
    record Health(boolean up, boolean failing, String mode, String detail, Instant since, long received) {}

    private final SignalChannel channel;
    private final SignalClient client;
    private final Account account;
    private final SignalChannel.Config config;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Health health = new Health(false, false, "?", "starting", Instant.now(), 0);
    private volatile WebSocket socket;
    private final Object wake = new Object();
    private long received;
    /** The next wait after a failure; back to the minimum once a connection works again. */
    private long backoff;

    Receiver(SignalChannel channel, SignalClient client, Account account, SignalChannel.Config config) {
        this.channel = channel;
        this.client = client;
        this.account = account;
        this.config = config;
        this.thread = new Thread(this::loop, "crustyclaw-signal-receive");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        running = false;
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes a waiting loop look again now (after link, register or verify). */
    void poke() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    Health health() {
        return health;
    }

    private void set(boolean up, String mode, String detail) {
        set(up, false, mode, detail);
    }

    private void set(boolean up, boolean failing, String mode, String detail) {
        Health h = health;
        health = new Health(up, failing, mode, detail, h.up() == up && h.detail().equals(detail) ? h.since()
                : Instant.now(), received);
    }

    private void loop() {
        backoff = config.reconnectMinMillis();
        boolean recovered = false;
        while (running) {
            try {
                if (!account.verified()) {
                    account.reconcile(client.accounts().contains(config.number()));
                    if (!account.verified()) {
                        set(false, "-", "account " + config.number() + " is " + account.state()
                                + ": run 'crustyclaw signal link' or 'crustyclaw signal register NUMBER'");
                        pause(ACCOUNT_RECHECK_MILLIS);
                        continue;
                    }
                }
                if (!recovered) {
                    channel.recover();
                    recovered = true;
                }
                String mode = mode();
                if (mode.equals("json-rpc")) {
                    stream();
                } else {
                    set(true, mode, "polling");
                    List<JsonNode> batch = client.receive(config.number(), config.receiveTimeoutSeconds(), false);
                    received += batch.size();
                    channel.received(batch);
                }
                backoff = config.reconnectMinMillis();
            } catch (Exception e) {
                if (!running) {
                    break;
                }
                set(false, true, health.mode(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                LOG.log(System.Logger.Level.WARNING, "Signal receive failed, retrying in about " + backoff + " ms: "
                        + health.detail());
                pause(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
                backoff = Math.min(config.reconnectMaxMillis(), backoff * 2);
            }
        }
        set(false, health.mode(), "stopped");
    }

    private String mode() throws IOException {
        if (!config.mode().equals("auto")) {
            if (!List.of("normal", "native", "json-rpc").contains(config.mode())) {
                throw new IllegalArgumentException("[channel.signal] mode '" + config.mode()
                        + "' is not auto, normal, native or json-rpc");
            }
            return config.mode();
        }
        return client.about().path("mode").asText("normal");
    }

    /**
     * Holds the json-rpc WebSocket until it closes or fails; each text frame is one message. A
     * connection whose peer vanished without a close frame is found by pinging it: a ping that
     * cannot be sent, or two intervals without a pong or a message, end it.
     */
    private void stream() throws Exception {
        CompletableFuture<String> closed = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicLong heard = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder frame = new StringBuilder();

            @Override
            public CompletionStage<?> onPong(WebSocket ws, java.nio.ByteBuffer message) {
                heard.set(System.nanoTime());
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                heard.set(System.nanoTime());
                if (frame.length() + data.length() > SignalClient.MAX_BODY) {
                    ws.abort();
                    closed.completeExceptionally(new IOException("a WebSocket message over " + SignalClient.MAX_BODY
                            + " bytes"));
                    return null;
                }
                frame.append(data);
                if (last) {
                    String text = frame.toString();
                    frame.setLength(0);
                    try {
                        received++;
                        channel.received(List.of(SignalClient.JSON.readTree(text)));
                    } catch (Exception e) {
                        LOG.log(System.Logger.Level.WARNING, "dropped a WebSocket frame: " + e.getMessage());
                    }
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                closed.complete(status + " " + reason);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.completeExceptionally(error);
            }
        };
        set(false, "json-rpc", "connecting");
        socket = client.connect(config.number(), listener);
        set(true, "json-rpc", "WebSocket open");
        backoff = config.reconnectMinMillis();
        long ping = config.websocketPingMillis();
        try {
            while (true) {
                try {
                    String why = closed.get(ping, TimeUnit.MILLISECONDS);
                    if (running) {
                        throw new IOException("the receive WebSocket closed: " + why);
                    }
                    return;
                } catch (TimeoutException quiet) {
                    if (System.nanoTime() - heard.get() > TimeUnit.MILLISECONDS.toNanos(2 * ping)) {
                        throw new IOException("the receive WebSocket went silent: no pong or message for "
                                + 2 * ping + " ms");
                    }
                    socket.sendPing(java.nio.ByteBuffer.allocate(0)).get(ping, TimeUnit.MILLISECONDS);
                }
            }
        } finally {
            socket.abort();
            socket = null;
        }
    }

    private void pause(long millis) {
        synchronized (wake) {
            try {
                wake.wait(Math.max(1, millis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
