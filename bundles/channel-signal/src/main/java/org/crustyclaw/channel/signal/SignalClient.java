package org.crustyclaw.channel.signal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The HTTP interface of signal-cli-rest-api (its swagger, tag 0.100): accounts, registration,
 * device linking, sending, reactions, receipts, typing, receiving (polled in normal and native
 * mode, a WebSocket in json-rpc mode), groups and attachments. Everything it returns is
 * untrusted: callers validate what they use.
 */
final class SignalClient {

    static final ObjectMapper JSON = new ObjectMapper();
    /** A reply body larger than this is refused: nothing the API answers legitimately is near it. */
    static final int MAX_BODY = 16 << 20;

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final Duration connectTimeout;

    SignalClient(URI base, Duration connectTimeout, Duration timeout) {
        String scheme = base.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("signal base_url '" + base + "' is not an http:// or https:// URL");
        }
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.timeout = timeout;
        this.connectTimeout = connectTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    URI base() {
        return base;
    }

    /** {@code GET /v1/about}: version and mode ({@code normal}, {@code native} or {@code json-rpc}). */
    JsonNode about() throws IOException {
        return call("GET", "v1/about", null, timeout);
    }

    /** {@code GET /v1/accounts}: the numbers registered or linked on the server. */
    List<String> accounts() throws IOException {
        JsonNode list = call("GET", "v1/accounts", null, timeout);
        List<String> out = new ArrayList<>();
        if (list.isArray()) {
            list.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    /** {@code POST /v1/register/{number}}, with a captcha token when Signal asked for one. */
    void register(String number, String captcha, boolean voice) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        if (!captcha.isBlank()) {
            body.put("captcha", captcha);
        }
        if (voice) {
            body.put("use_voice", true);
        }
        call("POST", "v1/register/" + path(number), body, timeout);
    }

    /** {@code POST /v1/register/{number}/verify/{token}}. */
    void verify(String number, String code, String pin) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        if (!pin.isBlank()) {
            body.put("pin", pin);
        }
        call("POST", "v1/register/" + path(number) + "/verify/" + path(code), body, timeout);
    }

    /** {@code GET /v1/qrcodelink/raw}: the {@code sgnl://linkdevice?...} URI the phone scans. */
    String linkUri(String deviceName) throws IOException {
        JsonNode r = call("GET", "v1/qrcodelink/raw?device_name=" + query(deviceName), null, Duration.ofMinutes(2));
        String uri = r.path("device_link_uri").asText("");
        if (!uri.startsWith("sgnl://") && !uri.startsWith("tsdevice:")) {
            throw new SignalException("the server's device link is not a Signal link URI: " + abbreviate(uri), 200);
        }
        return uri;
    }

    /** {@code POST /v2/send}; answers the message's timestamp, its id for reactions and quotes. */
    long send(String number, List<String> recipients, String message, List<String> base64Attachments,
            Map<String, Object> extra) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("number", number);
        ArrayNode to = body.putArray("recipients");
        recipients.forEach(to::add);
        body.put("message", message);
        if (!base64Attachments.isEmpty()) {
            ArrayNode a = body.putArray("base64_attachments");
            base64Attachments.forEach(a::add);
        }
        extra.forEach((k, v) -> body.set(k, JSON.valueToTree(v)));
        JsonNode r = call("POST", "v2/send", body, timeout);
        try {
            return Long.parseLong(r.path("timestamp").asText());
        } catch (NumberFormatException e) {
            throw new SignalException("send answered no timestamp: " + abbreviate(r.toString()), 201);
        }
    }

    /** {@code POST /v1/reactions/{number}}. */
    void react(String number, String recipient, String emoji, String targetAuthor, long timestamp) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("recipient", recipient).put("reaction", emoji)
                .put("target_author", targetAuthor).put("timestamp", timestamp);
        call("POST", "v1/reactions/" + path(number), body, timeout);
    }

    /** {@code POST /v1/receipts/{number}} with {@code receipt_type} {@code read} or {@code viewed}. */
    void receipt(String number, String recipient, String type, long timestamp) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("recipient", recipient).put("receipt_type", type)
                .put("timestamp", timestamp);
        call("POST", "v1/receipts/" + path(number), body, timeout);
    }

    /** {@code PUT} (show) or {@code DELETE} (hide) {@code /v1/typing-indicator/{number}}. */
    void typing(String number, String recipient, boolean show) throws IOException {
        call(show ? "PUT" : "DELETE", "v1/typing-indicator/" + path(number),
                JSON.createObjectNode().put("recipient", recipient), timeout);
    }

    /** {@code GET /v1/receive/{number}} in normal or native mode: waits up to {@code seconds}. */
    List<JsonNode> receive(String number, int seconds, boolean ignoreAttachments) throws IOException {
        JsonNode r = call("GET", "v1/receive/" + path(number) + "?timeout=" + seconds + "&ignore_attachments="
                + ignoreAttachments + "&ignore_stories=true", null, timeout.plusSeconds(seconds));
        if (!r.isArray()) {
            throw new SignalException("receive answered " + r.getNodeType() + ", expected a JSON array", 200);
        }
        List<JsonNode> out = new ArrayList<>();
        r.forEach(out::add);
        return out;
    }

    /** {@code GET /v1/groups/{number}}. */
    JsonNode groups(String number) throws IOException {
        return call("GET", "v1/groups/" + path(number), null, timeout);
    }

    /** {@code GET /v1/attachments/{id}}, refused past {@code max} bytes without reading the rest. */
    byte[] attachment(String id, long max) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("v1/attachments/" + path(id))).timeout(timeout).GET()
                .build();
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw error(response.statusCode(), new String(in.readNBytes(64 << 10), StandardCharsets.UTF_8));
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > max) {
                throw new SignalException("attachment " + abbreviate(id) + " is " + declared + " bytes, more than the "
                        + max + " allowed", 413);
            }
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (data.length > max) {
                throw new SignalException("attachment " + abbreviate(id) + " is more than the " + max
                        + " bytes allowed", 413);
            }
            return data;
        }
    }

    /** {@code DELETE /v1/attachments/{id}}: the server keeps what we already stored. */
    void deleteAttachment(String id) throws IOException {
        call("DELETE", "v1/attachments/" + path(id), null, timeout);
    }

    /** The json-rpc mode receive stream: one {@code {account, envelope}} object per text frame. */
    WebSocket connect(String number, WebSocket.Listener listener) throws IOException {
        URI ws = URI.create(base.toString().replaceFirst("^http", "ws") + "v1/receive/" + path(number));
        // the opening handshake is one round trip: a server that takes longer is treated as down
        CompletableFuture<WebSocket> open = http.newWebSocketBuilder().connectTimeout(connectTimeout)
                .buildAsync(ws, listener);
        try {
            return open.get(2 * connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new SignalException("cannot open the receive WebSocket " + ws + ": " + rootMessage(e), e);
        } catch (TimeoutException e) {
            open.cancel(true);
            throw new SignalException("the receive WebSocket " + ws + " did not open within " + 2 * connectTimeout.toMillis()
                    + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignalException("interrupted while opening " + ws, e);
        }
    }

    private JsonNode call(String method, String path, JsonNode body, Duration wait) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(wait)
                .header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<InputStream> response = send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        byte[] bytes;
        try (InputStream in = response.body()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new SignalException(method + " /" + path + " answered more than " + MAX_BODY + " bytes", response.statusCode());
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (response.statusCode() / 100 != 2) {
            throw error(response.statusCode(), text);
        }
        if (text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new SignalException(method + " /" + path + " answered something that is not JSON: "
                    + abbreviate(text), response.statusCode());
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignalException("interrupted: " + request.method() + " " + request.uri().getPath(), e);
        } catch (IOException e) {
            throw new SignalException("signal-cli-rest-api at " + base + " cannot be reached: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    /** The swagger's {@code api.Error} body: {@code {"error": "..."}}. */
    private static SignalException error(int status, String body) {
        String message = body;
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.hasNonNull("error")) {
                message = n.get("error").asText();
            }
        } catch (IOException e) {
            // not JSON: the body is the message
        }
        return new SignalException("signal-cli-rest-api answered " + status + ": " + abbreviate(message.strip()), status);
    }

    static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "... (" + s.length() + " chars)";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Data URI form of an attachment for {@code base64_attachments}. */
    static String dataUri(String contentType, String filename, byte[] data) {
        return "data:" + contentType + ";filename=" + filename + ";base64," + Base64.getEncoder().encodeToString(data);
    }
}
