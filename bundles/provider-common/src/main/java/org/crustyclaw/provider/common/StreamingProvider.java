package org.crustyclaw.provider.common;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

import org.crustyclaw.api.audit.AuditException;
import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.model.ChatEvent;
import org.crustyclaw.api.model.ChatRequest;
import org.crustyclaw.api.model.ModelProvider;
import org.crustyclaw.api.model.ProviderState;
import org.crustyclaw.api.secret.Secret;
import org.crustyclaw.api.secret.SecretStore;

/**
 * A {@link ModelProvider} over one {@link WireProtocol}: the HTTP exchange, retries, rate limit,
 * timeouts, cancellation and the API key, the same for every provider. {@link #close()} (the
 * provider's bundle going away) ends every call in flight with {@code Failed("provider NAME gone
 * ...", true)}.
 */
public final class StreamingProvider implements ModelProvider, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StreamingProvider.class.getName());
    private static final int MAX_ERROR_BODY = 16 * 1024;

    private final WireProtocol protocol;
    private final ProviderSettings settings;
    private final Supplier<Optional<SecretStore>> secrets;
    private final Supplier<Optional<AuditLog>> audit;
    private final Pacer pacer;
    private final DoubleSupplier random;
    private final HttpClient client;
    private final RateLimit rate;
    private final ScheduledExecutorService watchdog;
    private final Set<Call> active = ConcurrentHashMap.newKeySet();
    private volatile boolean gone;

    public StreamingProvider(WireProtocol protocol, ProviderSettings settings, Supplier<Optional<SecretStore>> secrets,
            Supplier<Optional<AuditLog>> audit) {
        this(protocol, settings, secrets, audit, Pacer.SYSTEM, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** With a pacer and jitter source of the caller's (tests see the waits without waiting). */
    public StreamingProvider(WireProtocol protocol, ProviderSettings settings, Supplier<Optional<SecretStore>> secrets,
            Supplier<Optional<AuditLog>> audit, Pacer pacer, DoubleSupplier random) {
        this.protocol = protocol;
        this.settings = settings;
        this.secrets = secrets;
        this.audit = audit;
        this.pacer = pacer;
        this.random = random;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (settings.baseUrl().map(u -> u.getScheme().equals("http")).orElse(true)) {
            http.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance with local servers
        }
        this.client = http.build();
        this.rate = new RateLimit(settings.requestsPerMinute());
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "crustyclaw-provider-" + settings.name() + "-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public List<String> models() {
        return settings.models();
    }

    public ProviderSettings settings() {
        return settings;
    }

    @Override
    public ProviderState state() {
        if (settings.baseUrl().isEmpty()) {
            return new ProviderState(false, "not configured: " + protocol.configHint(settings));
        }
        HttpRequest.Builder probe = protocol.probe(settings).timeout(settings.connectTimeout());
        URI uri = probe.build().uri();
        try (Key key = key()) {
            if (key.missing != null) {
                return new ProviderState(false, key.missing);
            }
            key.value.ifPresent(k -> protocol.authorize(probe, k));
            HttpResponse<String> r = client.send(probe.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 == 2) {
                return new ProviderState(true, "GET " + uri + ": " + protocol.probeDetail(settings, r.body()));
            }
            String msg = key.scrub(Json.errorMessage(r.body()));
            String advice = r.statusCode() == 401 || r.statusCode() == 403
                    ? "; check the key in secret '" + settings.apiKeySecret() + "'" : "";
            return new ProviderState(false, "GET " + uri + " answered HTTP " + r.statusCode() + ": " + msg + advice);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProviderState(false, "GET " + uri + ": interrupted");
        } catch (WireException e) {
            return new ProviderState(false, "GET " + uri + " answered, but not as " + settings.name()
                    + " expects: " + e.getMessage());
        } catch (IOException e) {
            return new ProviderState(false, "cannot reach " + uri + " (" + describe(e) + "); is the server running? "
                    + protocol.configHint(settings));
        }
    }

    @Override
    public void chat(ChatRequest request, Consumer<ChatEvent> events) {
        if (!settings.models().isEmpty() && !settings.models().contains(request.model())) {
            throw new IllegalArgumentException("provider " + name() + " has no model '" + request.model()
                    + "'; configured models: " + settings.models());
        }
        Terminal out = new Terminal(events);
        if (gone) {
            out.end(goneFailure());
            return;
        }
        Call call = new Call();
        active.add(call);
        int[] attempts = {0};
        ScheduledFuture<?> total = null;
        try {
            total = watchdog.schedule(() -> call.abort(Call.Abort.TOTAL_TIMEOUT), settings.totalTimeout().toNanos(),
                    TimeUnit.NANOSECONDS);
            run(request, call, out, attempts);
        } catch (RejectedExecutionException closedMeanwhile) {
            call.abort(Call.Abort.GONE);
        } finally {
            if (total != null) {
                total.cancel(false);
            }
            active.remove(call);
            call.closeBody();
            if (!out.ended()) {
                out.end(aborted(call).orElse(new ChatEvent.Failed("provider " + name() + " ended the call without a reply", true)));
            }
            if (call.reason() == Call.Abort.CANCELLED) {
                Thread.currentThread().interrupt(); // the caller asked; it may want to see why it got here
            }
            record(request, out.last(), attempts[0]);
        }
    }

    private void run(ChatRequest request, Call call, Terminal out, int[] attempts) {
        if (settings.baseUrl().isEmpty()) {
            out.end(new ChatEvent.Failed("provider " + name() + " is not configured: " + protocol.configHint(settings), false));
            return;
        }
        HttpRequest.Builder base = protocol.chat(settings, request).timeout(settings.connectTimeout());
        URI uri = base.build().uri();
        try (Key key = key()) {
            if (key.missing != null) {
                out.end(new ChatEvent.Failed(key.missing, false));
                return;
            }
            long deadline = pacer.nanoTime() + settings.totalTimeout().toNanos();
            for (int attempt = 0;; attempt++) {
                if (!pause(call, out, rate.reserve(pacer.nanoTime()), deadline, "the rate limit of "
                        + settings.requestsPerMinute() + " requests a minute")) {
                    return;
                }
                HttpRequest.Builder req = base.copy();
                key.value.ifPresent(k -> protocol.authorize(req, k));
                attempts[0] = attempt + 1;
                ChatEvent.Failed failure;
                Duration wait;
                try {
                    HttpResponse<InputStream> r = send(call, req.build());
                    InputStream body = call.body(r.body());
                    if (r.statusCode() / 100 == 2) {
                        stream(uri, body, call, out);
                        return;
                    }
                    String msg = key.scrub(Json.errorMessage(new String(body.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8)));
                    call.closeBody();
                    String text = "POST " + uri + " answered HTTP " + r.statusCode() + ": " + msg;
                    if (!protocol.retriable(r.statusCode())) {
                        out.end(new ChatEvent.Failed(text, false));
                        return;
                    }
                    failure = new ChatEvent.Failed(text, true);
                    int n = attempt;
                    wait = Backoff.retryAfter(r.headers(), ZonedDateTime.now()).orElseGet(() -> Backoff.exponential(n, random));
                } catch (IOException e) {
                    if (call.isAborted()) {
                        return;
                    }
                    failure = new ChatEvent.Failed("cannot reach " + uri + " (" + describe(e) + ")", true);
                    wait = Backoff.exponential(attempt, random);
                }
                if (attempt >= settings.maxRetries()) {
                    out.end(new ChatEvent.Failed(failure.reason() + "; gave up after " + (attempt + 1) + " attempt(s)", true));
                    return;
                }
                LOG.log(System.Logger.Level.INFO, failure.reason() + "; retry " + (attempt + 1) + " of "
                        + settings.maxRetries() + " in " + wait.toMillis() + " ms");
                if (!pause(call, out, wait, deadline, failure.reason() + ": the retry")) {
                    return;
                }
            }
        }
    }

    /** Waits unless the wait would pass the deadline or the call is aborted; false when the call ended. */
    private boolean pause(Call call, Terminal out, Duration wait, long deadline, String what) {
        if (wait.isZero()) {
            return !call.isAborted();
        }
        if (pacer.nanoTime() + wait.toNanos() > deadline) {
            out.end(new ChatEvent.Failed(what + " needs a wait of " + wait.toMillis() + " ms, past the total timeout of "
                    + settings.totalTimeout().toSeconds() + " s of provider " + name(), true));
            return false;
        }
        try {
            pacer.await(call.aborted, wait);
        } catch (InterruptedException e) {
            call.abort(Call.Abort.CANCELLED);
        }
        return !call.isAborted();
    }

    private HttpResponse<InputStream> send(Call call, HttpRequest request) throws IOException {
        CompletableFuture<HttpResponse<InputStream>> f = client.sendAsync(request, QueueBody.handler());
        f.thenAccept(r -> {
            if (call.isAborted()) {
                call.body(r.body());
                call.closeBody();
            }
        });
        call.pending(f);
        try {
            return f.get();
        } catch (InterruptedException e) {
            call.abort(Call.Abort.CANCELLED);
            throw new IOException("cancelled", e);
        } catch (CancellationException e) {
            throw new IOException("aborted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause);
        }
    }

    private void stream(URI uri, InputStream body, Call call, Terminal out) {
        Duration read = settings.readTimeout();
        var readCheck = new Object() {
            void arm(long delayNanos) {
                try {
                    schedule(delayNanos);
                } catch (RejectedExecutionException closedMeanwhile) {
                    call.abort(Call.Abort.GONE);
                }
            }

            void schedule(long delayNanos) {
                watchdog.schedule(() -> {
                    long silent = System.nanoTime() - call.lastByteNanos;
                    if (silent >= read.toNanos()) {
                        call.abort(Call.Abort.READ_TIMEOUT);
                    } else if (!call.isAborted() && active.contains(call)) {
                        arm(read.toNanos() - silent);
                    }
                }, delayNanos, TimeUnit.NANOSECONDS);
            }
        };
        call.lastByteNanos = System.nanoTime();
        readCheck.arm(read.toNanos());
        WireProtocol.Decoder decoder = protocol.decoder(settings);
        Framing.Reader frames = protocol.framing().reader(body);
        try {
            while (!call.isAborted()) {
                if (Thread.currentThread().isInterrupted()) {
                    call.abort(Call.Abort.CANCELLED);
                    return;
                }
                Optional<Frame> frame = frames.next();
                if (frame.isEmpty()) {
                    if (!call.isAborted()) {
                        out.end(new ChatEvent.Failed("the stream from " + uri + " ended before the reply was complete"
                                + " (cut mid-reply: no final event)", true));
                    }
                    return;
                }
                Optional<ChatEvent> end = decoder.frame(frame.get(), out::emit);
                if (end.isPresent()) {
                    out.end(end.get());
                    return;
                }
            }
        } catch (WireException e) {
            if (!call.isAborted()) {
                out.end(new ChatEvent.Failed("provider " + name() + " broke its wire format at " + uri + ": " + e.getMessage(), false));
            }
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted() || e instanceof java.io.InterruptedIOException) {
                call.abort(Call.Abort.CANCELLED);
            } else if (!call.isAborted()) {
                out.end(new ChatEvent.Failed("reading the stream from " + uri + " failed (" + describe(e) + ")", true));
            }
        }
    }

    private Optional<ChatEvent> aborted(Call call) {
        if (call.reason() == null) {
            return Optional.empty();
        }
        return Optional.of(switch (call.reason()) {
            case CANCELLED -> new ChatEvent.Failed("cancelled", false);
            case GONE -> goneFailure();
            case READ_TIMEOUT -> new ChatEvent.Failed("provider " + name() + " sent nothing for "
                    + settings.readTimeout().toMillis() + " ms (read_timeout)", true);
            case TOTAL_TIMEOUT -> new ChatEvent.Failed("provider " + name() + " did not finish within "
                    + settings.totalTimeout().toMillis() + " ms (total_timeout)", true);
        });
    }

    private ChatEvent.Failed goneFailure() {
        return new ChatEvent.Failed("provider " + name() + " gone: its bundle stopped or its configuration changed",
                true);
    }

    /** Ends every call in flight with "provider gone"; later calls fail the same way. */
    @Override
    public void close() {
        gone = true;
        active.forEach(c -> c.abort(Call.Abort.GONE));
        watchdog.shutdownNow();
    }

    private void record(ChatRequest request, ChatEvent end, int attempts) {
        Optional<AuditLog> log = audit.get();
        if (log.isEmpty() || end == null) {
            return;
        }
        Map<String, String> payload = new LinkedHashMap<>();
        payload.put("provider", name());
        payload.put("model", request.model());
        payload.put("attempts", String.valueOf(attempts));
        if (end instanceof ChatEvent.Done d) {
            payload.put("outcome", "done");
            payload.put("stop_reason", d.stopReason());
            payload.put("input_tokens", String.valueOf(d.usage().inputTokens()));
            payload.put("output_tokens", String.valueOf(d.usage().outputTokens()));
            payload.put("cost_micro_usd", String.valueOf(d.usage().costMicroUsd()));
        } else if (end instanceof ChatEvent.Failed f) {
            payload.put("outcome", "failed");
            payload.put("reason", f.reason());
        }
        try {
            log.get().append("model.call", "provider:" + name(), payload);
        } catch (AuditException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "audit log refused model.call of provider " + name() + ": " + e.getMessage());
        }
    }

    /** The API key for one call, as text only as long as the call runs (HTTP headers are strings). */
    private Key key() {
        if (settings.apiKeySecret().isEmpty()) {
            return new Key(Optional.empty(), null);
        }
        Optional<SecretStore> store = secrets.get();
        if (store.isEmpty()) {
            return new Key(Optional.empty(), "provider " + name() + " needs secret '" + settings.apiKeySecret()
                    + "' but no secret store is running (the security bundle)");
        }
        Optional<Secret> secret = store.get().get(settings.apiKeySecret());
        if (secret.isEmpty()) {
            return new Key(Optional.empty(), "provider " + name() + ": secret '" + settings.apiKeySecret()
                    + "' is not in the secret store; set it with 'crustyclaw secrets set " + settings.apiKeySecret()
                    + "' or name another in [provider." + name() + "] api_key_secret");
        }
        try (Secret s = secret.get()) {
            byte[] bytes = s.reveal();
            try {
                return new Key(Optional.of(new String(bytes, StandardCharsets.UTF_8).strip()), null);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    private record Key(Optional<String> value, String missing) implements AutoCloseable {
        /** Takes the key out of a server's error text, should a server echo it. */
        String scrub(String text) {
            return value.filter(k -> !k.isEmpty()).map(k -> text.replace(k, Secret.REDACTED)).orElse(text);
        }

        @Override
        public void close() {
            // nothing to zero: the header needed a String; it goes out of reach with this record
        }
    }

    static String describe(IOException e) {
        if (e instanceof HttpTimeoutException) {
            return "no answer within the connect_timeout";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        Throwable t = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
