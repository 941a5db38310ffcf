package org.crustyclaw.channel.signal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A test double of signal-cli-rest-api 0.100 on loopback that follows its swagger
 * ({@code src/docs/swagger.json}): the paths, JSON field names, status codes and
 * {@code {"error": ...}} bodies of the endpoints the channel uses, receive as a JSON array in
 * normal mode and as a WebSocket (one {@code {account, envelope}} per text frame) in json-rpc
 * mode. HTTP/1.1 and RFC 6455 framing are written out here because the JDK's HttpServer cannot
 * upgrade a connection. Tests queue envelopes, read what was sent, and drop or restart the server.
 */
public final class SignalRestServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request the server answered, for assertions. */
    public record Request(String method, String path, JsonNode body) {}

    private final String mode;
    private final int port;
    private volatile ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.LinkedBlockingDeque<JsonNode> inbound = new java.util.concurrent.LinkedBlockingDeque<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Request> sent = new LinkedBlockingQueue<>();
    private final Set<String> accounts = ConcurrentHashMap.newKeySet();
    private final Map<String, String> pendingCodes = new ConcurrentHashMap<>();
    private final Map<String, byte[]> attachments = new ConcurrentHashMap<>();
    private final Map<String, List<String>> groupAdmins = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong(1_767_000_000_000L);
    private volatile boolean captchaRequired;
    private volatile String linkedNumber;

    public SignalRestServer(String mode) throws IOException {
        this(mode, 0);
    }

    private SignalRestServer(String mode, int port) throws IOException {
        this.mode = mode;
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        this.server = s;
        this.port = s.getLocalPort();
        accept(s);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    // ---- what tests arrange ----

    public void account(String number) {
        accounts.add(number);
    }

    public void requireCaptcha(boolean required) {
        captchaRequired = required;
    }

    /** The number a later scan of the link QR code links (as the phone would). */
    public void phoneLinks(String number) {
        linkedNumber = number;
    }

    public void group(String internalId, List<String> admins) {
        groupAdmins.put(Envelope.groupRecipient(internalId), List.copyOf(admins));
    }

    public void attachment(String id, byte[] data) {
        attachments.put(id, data);
    }

    /** Queues one raw receive item (any JSON, also malformed shapes). */
    public void deliverRaw(JsonNode item) {
        inbound.add(item);
    }

    /** Queues a text message from {@code source} to {@code account}; answers its timestamp. */
    public long deliver(String account, String source, String text) {
        return deliver(account, source, text, null, List.of());
    }

    public long deliver(String account, String source, String text, String groupId, List<ObjectNode> attachments) {
        long ts = clock.incrementAndGet();
        ObjectNode item = JSON.createObjectNode();
        item.put("account", account);
        ObjectNode env = item.putObject("envelope");
        env.put("source", source).put("sourceNumber", source).put("sourceUuid", "uuid-" + source.substring(1))
                .put("sourceName", "Tester").put("sourceDevice", 1).put("timestamp", ts);
        ObjectNode data = env.putObject("dataMessage");
        data.put("timestamp", ts).put("message", text).put("expiresInSeconds", 0).put("viewOnce", false);
        if (groupId != null) {
            data.putObject("groupInfo").put("groupId", groupId).put("groupName", "ops").put("revision", 1)
                    .put("type", "DELIVER");
        }
        if (!attachments.isEmpty()) {
            ArrayNode a = data.putArray("attachments");
            attachments.forEach(a::add);
        }
        inbound.add(item);
        return ts;
    }

    public static ObjectNode attachmentRef(String id, String contentType, String filename, long size) {
        return JSON.createObjectNode().put("contentType", contentType).put("filename", filename).put("id", id)
                .put("size", size);
    }

    /** The next {@code POST /v2/send} body, waiting up to {@code seconds}; null when none came. */
    public JsonNode nextSent(long seconds) throws InterruptedException {
        Request r = sent.poll(seconds, TimeUnit.SECONDS);
        return r == null ? null : r.body();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public Set<String> accounts() {
        return Set.copyOf(accounts);
    }

    /** Drops every open connection and the listener, as a crashed server does. */
    public void drop() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }

    /** Listens again on the same port after {@link #drop}, keeping what was queued. */
    public void restart() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        // a client retrying in a tight loop can hold the port for a moment (a loopback self-connect)
        for (int attempt = 1;; attempt++) {
            try {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                break;
            } catch (java.net.BindException e) {
                if (attempt == 1000) {
                    throw e;
                }
                Thread.onSpinWait();
            }
        }
        server = s;
        accept(s);
    }

    @Override
    public void close() throws IOException {
        drop();
    }

    // ---- HTTP/1.1 ----

    private void accept(ServerSocket s) {
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket c = s.accept();
                    open.add(c);
                    Thread h = new Thread(() -> serve(c, s), "signal-rest-conn");
                    h.setDaemon(true);
                    h.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "signal-rest-accept");
        t.setDaemon(true);
        t.start();
    }

    private void serve(Socket c, ServerSocket listener) {
        try (c; InputStream in = c.getInputStream(); OutputStream out = c.getOutputStream()) {
            // a connection accepted just before drop() must not outlive it: each request checks
            while (!listener.isClosed()) {
                String line = readLine(in);
                if (line == null || line.isEmpty()) {
                    return;
                }
                String[] parts = line.split(" ");
                Map<String, String> headers = new HashMap<>();
                for (String h = readLine(in); h != null && !h.isEmpty(); h = readLine(in)) {
                    int colon = h.indexOf(':');
                    headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
                }
                int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                byte[] body = in.readNBytes(length);
                URI uri = URI.create(parts[1]);
                if ("websocket".equalsIgnoreCase(headers.get("upgrade"))) {
                    websocket(uri, headers, in, out);
                    return;
                }
                JsonNode json = body.length == 0 ? null : parse(body);
                requests.add(new Request(parts[0], uri.getPath(), json));
                Response r = handle(parts[0], uri, query(uri), json);
                if (listener.isClosed()) {
                    // as a crashed server would never have answered: what it took goes back for the next one
                    r.taken().forEach(inbound::addFirst);
                    return;
                }
                String status = r.status + " " + (r.status / 100 == 2 ? "OK" : "Error");
                out.write(("HTTP/1.1 " + status + "\r\nContent-Type: " + r.type + "\r\nContent-Length: "
                        + r.body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(r.body);
                out.flush();
            }
        } catch (IOException e) {
            // the client went, or drop() closed the socket
        } finally {
            open.remove(c);
        }
    }

    private record Response(int status, String type, byte[] body, List<JsonNode> taken) {
        Response(int status, String type, byte[] body) {
            this(status, type, body, List.of());
        }

        static Response json(int status, Object body) {
            try {
                return new Response(status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Response error(int status, String message) {
            return json(status, Map.of("error", message));
        }

        static Response empty(int status) {
            return new Response(status, "text/plain", new byte[0]);
        }
    }

    private Response handle(String method, URI uri, Map<String, String> query, JsonNode body) {
        List<String> p = segments(uri);
        String route = method + " /" + String.join("/", p.subList(0, Math.min(2, p.size())));
        switch (route) {
            case "GET /v1/about":
                return Response.json(200, Map.of("versions", List.of("v1", "v2"), "build", 2, "mode", mode,
                        "version", "0.100", "capabilities", Map.of("v2/send", List.of("quotes", "mentions"))));
            case "GET /v1/accounts":
                return Response.json(200, List.copyOf(accounts));
            case "GET /v1/qrcodelink":
                if (p.size() != 3 || !p.get(2).equals("raw") || query.getOrDefault("device_name", "").isEmpty()) {
                    return Response.error(400, "Please provide a name for the device");
                }
                if (linkedNumber != null) {
                    accounts.add(linkedNumber);
                }
                return Response.json(200, Map.of("device_link_uri", "sgnl://linkdevice?uuid=Zm9vYmFy&pub_key=QUJDREVG"));
            case "POST /v1/register":
                return p.size() == 5 && p.get(3).equals("verify") ? verify(p.get(2), p.get(4)) : register(p.get(2), body);
            case "POST /v2/send":
                return send(body);
            case "PUT /v1/typing-indicator", "DELETE /v1/typing-indicator", "POST /v1/receipts", "POST /v1/reactions":
                return known(p.get(2)) && body != null && body.hasNonNull("recipient") ? Response.empty(204)
                        : Response.error(400, "Couldn't process request - invalid request");
            case "GET /v1/receive":
                return receive(p.get(2), query);
            case "GET /v1/groups":
                List<Map<String, Object>> groups = new ArrayList<>();
                groupAdmins.forEach((id, admins) -> {
                    Map<String, Object> g = new LinkedHashMap<>();
                    g.put("id", id);
                    g.put("internal_id", new String(Base64.getDecoder().decode(id.substring(6)), StandardCharsets.UTF_8));
                    g.put("name", "ops");
                    g.put("admins", admins);
                    g.put("members", admins);
                    g.put("blocked", false);
                    groups.add(g);
                });
                return Response.json(200, groups);
            case "GET /v1/attachments":
                byte[] data = attachments.get(p.get(2));
                return data == null ? Response.error(400, "Couldn't find attachment")
                        : new Response(200, "application/octet-stream", data);
            case "DELETE /v1/attachments":
                return attachments.remove(p.get(2)) == null ? Response.error(400, "Couldn't find attachment")
                        : Response.empty(204);
            default:
                return Response.error(404, "no route " + route);
        }
    }

    private boolean known(String number) {
        return accounts.contains(number);
    }

    private Response register(String number, JsonNode body) {
        if (captchaRequired && (body == null || !body.hasNonNull("captcha"))) {
            return Response.error(400, "Captcha required for verification (null)\n");
        }
        pendingCodes.put(number, "123-456");
        return Response.empty(201);
    }

    private Response verify(String number, String code) {
        if (!code.equals(pendingCodes.get(number))) {
            return Response.error(400, "Verification failed! This code is incorrect.");
        }
        pendingCodes.remove(number);
        accounts.add(number);
        return Response.empty(201);
    }

    private Response send(JsonNode body) {
        if (body == null || !body.hasNonNull("number") || !body.path("recipients").isArray()
                || body.path("recipients").isEmpty() || !body.has("message")) {
            return Response.error(400, "Couldn't process request - invalid request");
        }
        if (!known(body.get("number").asText())) {
            return Response.json(400, Map.of("error", "User " + body.get("number").asText() + " is not registered."));
        }
        sent.add(new Request("POST", "/v2/send", body));
        return Response.json(201, Map.of("timestamp", Long.toString(clock.incrementAndGet())));
    }

    private Response receive(String number, Map<String, String> query) {
        if (mode.equals("json-rpc")) {
            return Response.error(400, "receive is a WebSocket in json-rpc mode");
        }
        if (!known(number)) {
            return Response.error(400, "User " + number + " is not registered.");
        }
        int timeout;
        try {
            timeout = Integer.parseInt(query.getOrDefault("timeout", "1"));
        } catch (NumberFormatException e) {
            return Response.error(400, "Couldn't process request - timeout needs to be numeric!");
        }
        ArrayNode out = JSON.createArrayNode();
        try {
            JsonNode first = inbound.poll(timeout, TimeUnit.SECONDS);
            if (first != null) {
                out.add(first);
                inbound.drainTo(new ArrayNodeAdder(out));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<JsonNode> taken = new ArrayList<>();
        out.forEach(n -> taken.add(0, n));
        Response r = Response.json(200, out);
        return new Response(r.status(), r.type(), r.body(), taken);
    }

    /** A Collection view that appends to a Jackson array, for drainTo. */
    private static final class ArrayNodeAdder extends java.util.AbstractCollection<JsonNode> {
        private final ArrayNode node;

        ArrayNodeAdder(ArrayNode node) {
            this.node = node;
        }

        @Override
        public boolean add(JsonNode n) {
            node.add(n);
            return true;
        }

        @Override
        public java.util.Iterator<JsonNode> iterator() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int size() {
            return node.size();
        }
    }

    // ---- RFC 6455, server side: text frames out, close and pings in ----

    private void websocket(URI uri, Map<String, String> headers, InputStream in, OutputStream out) throws IOException {
        List<String> p = segments(uri);
        String key = headers.get("sec-websocket-key");
        if (!mode.equals("json-rpc") || p.size() != 3 || !p.get(1).equals("receive") || key == null) {
            out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        requests.add(new Request("GET", uri.getPath(), null));
        String accept;
        try {
            accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(
                    (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread reader = new Thread(() -> {
            try {
                readFrames(in, out);
            } catch (IOException e) {
                // dropped
            }
        }, "signal-ws-read");
        reader.setDaemon(true);
        reader.start();
        try {
            while (reader.isAlive()) {
                JsonNode item = inbound.poll(100, TimeUnit.MILLISECONDS);
                if (item != null && (!item.has("account") || item.path("account").asText().equals(p.get(2))
                        || !item.path("account").isTextual())) {
                    try {
                        frame(out, JSON.writeValueAsBytes(item));
                    } catch (IOException e) {
                        inbound.addFirst(item);
                        throw e;
                    }
                } else if (item != null) {
                    inbound.add(item);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The client's frames: a ping gets its pong, a close its close; text from the client is ignored. */
    private static void readFrames(InputStream in, OutputStream out) throws IOException {
        while (true) {
            int b0 = in.read();
            int b1 = in.read();
            if (b0 < 0 || b1 < 0) {
                return;
            }
            long length = b1 & 0x7f;
            if (length == 126) {
                length = (in.read() << 8) | in.read();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | in.read();
                }
            }
            byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : new byte[4];
            byte[] payload = in.readNBytes((int) length);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
            int opcode = b0 & 0x0f;
            if (opcode == 0x9) {
                frame(out, 0x8A, payload);
            } else if (opcode == 0x8) {
                frame(out, 0x88, payload);
                return;
            }
        }
    }

    private static void frame(OutputStream out, byte[] payload) throws IOException {
        frame(out, 0x81, payload);
    }

    private static void frame(OutputStream out, int first, byte[] payload) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(first);
        if (payload.length < 126) {
            f.write(payload.length);
        } else if (payload.length < 65536) {
            f.write(126);
            f.write(payload.length >> 8);
            f.write(payload.length);
        } else {
            f.write(127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) payload.length >> (8 * i)));
            }
        }
        f.write(payload);
        synchronized (out) {
            out.write(f.toByteArray());
            out.flush();
        }
    }

    // ---- helpers ----

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                return line.toString(StandardCharsets.US_ASCII).replaceAll("\r$", "");
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(new String(body, StandardCharsets.UTF_8));
        }
    }

    private static List<String> segments(URI uri) {
        List<String> out = new ArrayList<>();
        for (String s : uri.getRawPath().split("/")) {
            if (!s.isEmpty()) {
                out.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String kv : uri.getRawQuery().split("&")) {
                int eq = kv.indexOf('=');
                out.put(URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
