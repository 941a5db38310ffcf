package org.crustyclaw.credproxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.crustyclaw.api.egress.EgressDecision;

/**
 * One client connection: one request (forward or CONNECT), then the connection closes. The
 * head is read under the slowloris deadline, decided by the rules, its sentinels checked
 * against the target host and swapped, the name resolved here (never by the sandbox), and
 * the exchange streamed both ways through the swaps and the session's limits. Every request
 * ends in one audit event, whatever happened.
 */
final class Exchange implements Runnable {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "proxy-connection", "keep-alive",
            "proxy-authorization", "proxy-authenticate", "te", "trailer", "transfer-encoding", "upgrade",
            "content-length", "host", "expect");

    private final Proxy proxy;
    private final ProxySession session;
    private final Conn client;
    private final EgressAudit.Record record;

    Exchange(Proxy proxy, ProxySession session, Conn client) {
        this.proxy = proxy;
        this.session = session;
        this.client = client;
        this.record = new EgressAudit.Record(session);
    }

    @Override
    public void run() {
        proxy.watchdog.watch(client);
        try {
            handle();
        } catch (Swap.Forbidden e) {
            record.misdirected(e.secret);
            if (!record.responded) {
                respond(403, "denied: the sentinel of secret " + e.secret + " may not be sent to "
                        + record.target.host());
            }
        } catch (Limits.Exhausted e) {
            record.fail("limited", e.getMessage(), 429);
            if (!record.responded) {
                respond(429, e.getMessage());
            }
        } catch (BadMessage e) {
            record.fail("malformed", e.getMessage(), e.status);
            if (!record.responded) {
                refuse(client, e.status, e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            record.fail(record.decision == null ? "error" : record.decision, describe(e), record.status);
            if (!record.responded) {
                refuse(client, 502, describe(e));
            }
        } finally {
            proxy.watchdog.forget(client);
            client.close();
            session.limits.releaseConnection();
            session.ended(client);
            if (record.started) {
                EgressAudit.append(proxy.audit, record, session);
            }
        }
    }

    private void handle() throws IOException, BadMessage {
        client.headDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(proxy.settings.headTimeoutMillis());
        client.headPending = true;
        Head head;
        try {
            head = proxy.parser.readRequest(client.in);
        } catch (BadMessage e) {
            if (client.timedOut) {
                record.started = true;
                throw new BadMessage(408, "request head not complete within " + proxy.settings.headTimeoutMillis() + " ms");
            }
            record.started = !e.getMessage().equals("connection closed before a request");
            throw e;
        } finally {
            client.headPending = false;
        }
        record.started = true;
        record.method = head.first();
        Target target = Target.of(head.first(), head.second());
        record.target = target;
        if (!session.limits.tryRequest()) {
            record.decision = "limited";
            respond(429, "sandbox " + session.id + " is over " + session.policy.limits().requestsPerSecond()
                    + " requests per second");
            return;
        }
        EgressDecision decision = Rules.decide(session.policy, head.first(), target);
        record.rule = decision.rule();
        if (decision instanceof EgressDecision.Deny deny) {
            record.decision = "deny";
            record.reason = deny.reason();
            respond(403, "denied: " + deny.reason());
            return;
        }
        if (decision instanceof EgressDecision.Ask) {
            String key = decision.rule() + " " + head.first() + " " + target.host() + ":" + target.port();
            boolean approved = session.answers.computeIfAbsent(key,
                    k -> proxy.asker.ask(session, decision.rule(), head.first(), target));
            record.decision = approved ? "ask-approved" : "ask-rejected";
            if (!approved) {
                record.reason = "rule " + decision.rule() + " asked and the request was not approved";
                respond(403, "denied: " + record.reason);
                return;
            }
        } else {
            record.decision = "allow";
        }
        Swap up = session.upstream(target.host());
        if (head.first().equals("CONNECT")) {
            tunnel(target);
        } else {
            forward(head, target, up);
        }
    }

    private Socket connect(Target target) throws IOException {
        InetAddress[] addresses = proxy.resolver.resolve(target.host());
        IOException last = null;
        for (InetAddress a : addresses) {
            if (!proxy.settings.allowPrivateUpstreams() && isPrivate(a)) {
                record.decision = "deny";
                record.rule = "private-address";
                record.reason = "host " + target.host() + " resolves to the private address " + a.getHostAddress();
                respond(403, "denied: " + record.reason);
                return null;
            }
        }
        for (InetAddress a : addresses) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(a, target.port()), (int) proxy.settings.connectTimeoutMillis());
                return s;
            } catch (IOException e) {
                s.close();
                last = e;
            }
        }
        throw new IOException("cannot reach " + target.host() + ":" + target.port() + ": "
                + (last == null ? "no address" : last.getMessage()));
    }

    private void forward(Head head, Target target, Swap up) throws IOException, BadMessage {
        Set<String> used = new TreeSet<>();
        byte[] requestLine = up.apply(HeadParser.ascii(head.first() + " " + target.path() + " HTTP/1.1\r\n"), used);
        StringBuilder fields = new StringBuilder();
        fields.append("Host: ").append(target.hostHeader()).append("\r\n");
        for (Head.Header h : head.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !head.listHas("Connection", name)) {
                fields.append(h.name()).append(": ").append(h.value()).append("\r\n");
            }
        }
        Framing framing = HeadParser.requestFraming(head);
        if (framing instanceof Framing.Length l) {
            fields.append("Content-Length: ").append(l.length()).append("\r\n");
        } else if (framing instanceof Framing.Chunked) {
            fields.append("Transfer-Encoding: chunked\r\n");
        }
        fields.append("Connection: close\r\n\r\n");
        byte[] headerBytes = up.apply(HeadParser.ascii(fields.toString()), used);
        record.secrets.addAll(used);
        try (Socket socket = connect(target)) {
            if (socket == null) {
                return;
            }
            Conn upstream = Conn.of(socket);
            proxy.watchdog.watch(upstream);
            try {
                OutputStream out = upstream.out;
                out.write(requestLine);
                out.write(headerBytes);
                record.bytesUp += requestLine.length + headerBytes.length;
                if (head.listHas("Expect", "100-continue")) {
                    client.out.write(HeadParser.ascii("HTTP/1.1 100 Continue\r\n\r\n"));
                    client.out.flush();
                }
                Swap.Sink body = framing instanceof Framing.Chunked ? Bodies.chunked(out) : Bodies.raw(out, -1);
                Bodies.copy(client.in, framing, counting(up.filter(body, used), true), session.limits, true);
                record.secrets.addAll(used);
                out.flush();
                respondFromUpstream(head.first(), upstream.in);
            } finally {
                proxy.watchdog.forget(upstream);
                upstream.close();
            }
        }
    }

    private void respondFromUpstream(String method, InputStream in) throws IOException, BadMessage {
        Head response;
        do {
            response = proxy.parser.readResponse(in);
            if (response.second().equals("101")) {
                throw new BadMessage(502, "upstream switched protocols, which the proxy does not carry");
            }
        } while (response.second().charAt(0) == '1');
        Framing framing = HeadParser.responseFraming(response, method);
        Swap down = session.downstream();
        Set<String> echoed = new TreeSet<>();
        StringBuilder h = new StringBuilder();
        h.append("HTTP/1.1 ").append(response.second()).append(' ').append(response.third()).append("\r\n");
        for (Head.Header f : response.headers()) {
            String name = f.name().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !response.listHas("Connection", name)) {
                h.append(f.name()).append(": ").append(f.value()).append("\r\n");
            }
        }
        if (framing instanceof Framing.Length l) {
            h.append("Content-Length: ").append(l.length()).append("\r\n");
        } else if (framing instanceof Framing.Chunked) {
            h.append("Transfer-Encoding: chunked\r\n");
        }
        h.append("Connection: close\r\n\r\n");
        byte[] headBytes = down.apply(HeadParser.ascii(h.toString()), echoed);
        record.status = Integer.parseInt(response.second());
        record.responded = true;
        client.out.write(headBytes);
        Swap.Sink sink = framing instanceof Framing.Chunked ? Bodies.chunked(client.out)
                : Bodies.raw(client.out, framing instanceof Framing.Length l ? l.length() : -1);
        Bodies.copy(in, framing, counting(down.filter(sink, echoed), false), session.limits, false);
        client.out.flush();
        record.echoed.addAll(echoed);
    }

    private void tunnel(Target target) throws IOException {
        try (Socket socket = connect(target)) {
            if (socket == null) {
                return;
            }
            Conn upstream = Conn.of(socket);
            proxy.watchdog.watch(upstream);
            try {
                record.status = 200;
                record.responded = true;
                client.out.write(HeadParser.ascii("HTTP/1.1 200 Connection Established\r\n\r\n"));
                client.out.flush();
                CountDownLatch upDone = new CountDownLatch(1);
                if (!proxy.spare(() -> {
                    try {
                        record.bytesUp += pump(client.in, upstream);
                    } finally {
                        upDone.countDown();
                    }
                })) {
                    throw new IOException("no thread free for the tunnel's second direction");
                }
                record.bytesDown += pump(upstream.in, client);
                try {
                    upDone.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } finally {
                proxy.watchdog.forget(upstream);
                upstream.close();
            }
        }
    }

    /** Copies until end of stream or error, then half-closes the other side; returns the bytes copied. */
    private long pump(InputStream from, Conn to) {
        byte[] buf = new byte[65536];
        long total = 0;
        try {
            int n;
            while ((n = from.read(buf)) > 0) {
                session.limits.take(n);
                to.out.write(buf, 0, n);
                to.out.flush();
                total += n;
            }
        } catch (IOException e) {
            record.reason = record.reason == null ? describe(e) : record.reason;
        }
        to.shutdownOutput();
        return total;
    }

    private Swap.Sink counting(Swap.Sink sink, boolean up) {
        return new Swap.Sink() {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (up) {
                    record.bytesUp += len;
                } else {
                    record.bytesDown += len;
                }
                sink.write(b, off, len);
            }

            @Override
            public void finish() throws IOException {
                sink.finish();
            }
        };
    }

    private void respond(int status, String message) {
        record.status = status;
        record.responded = true;
        refuse(client, status, message);
    }

    /** Answers with an error and a one-line reason; the connection closes after it. */
    static void refuse(Conn conn, int status, String message) {
        byte[] body = ("crustyclaw egress: " + message + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n"
                + "X-CrustyClaw-Egress: refused\r\n\r\n";
        try {
            conn.out.write(HeadParser.ascii(head));
            conn.out.write(body);
            conn.out.flush();
        } catch (IOException e) {
            // the client is gone: nobody to tell
        } finally {
            conn.close();
        }
    }

    private static String reason(int status) {
        switch (status) {
            case 400: return "Bad Request";
            case 403: return "Forbidden";
            case 408: return "Request Timeout";
            case 413: return "Content Too Large";
            case 429: return "Too Many Requests";
            case 431: return "Request Header Fields Too Large";
            case 501: return "Not Implemented";
            case 503: return "Service Unavailable";
            case 505: return "HTTP Version Not Supported";
            default: return "Bad Gateway";
        }
    }

    static boolean isPrivate(InetAddress a) {
        byte[] b = a.getAddress();
        return a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress() || (b.length == 16 && (b[0] & 0xfe) == 0xfc)
                || (b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64);
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
