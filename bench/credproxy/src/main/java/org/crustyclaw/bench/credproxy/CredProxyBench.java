package org.crustyclaw.bench.credproxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.crustyclaw.api.egress.EgressLimits;
import org.crustyclaw.api.egress.EgressPolicy;
import org.crustyclaw.api.egress.EgressRule;
import org.crustyclaw.api.egress.EgressSession;
import org.crustyclaw.api.egress.HostPattern;
import org.crustyclaw.api.egress.SecretGrant;
import org.crustyclaw.api.secret.Secret;
import org.crustyclaw.api.secret.SecretStore;
import org.crustyclaw.credproxy.CredProxyService;
import org.crustyclaw.security.audit.SqliteAuditLog;
import org.crustyclaw.security.redact.RedactionService;

/**
 * Issue 10's figures, direct and through the proxy in one run, against the same loopback
 * server: the added latency of one small GET (a new connection each time, as the proxy
 * closes after every exchange; the real SQLite audit log records every proxied request)
 * and the throughput of a 100 MiB download (the body passes the sentinel swap: one secret
 * is granted, unless the third argument is {@code no-secret}). Arguments: [requests] [MiB] [no-secret].
 */
public final class CredProxyBench {

    private static final byte[] SMALL = "{\"ok\":true}\n".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int mib = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        boolean grant = args.length < 3 || !args[2].equals("no-secret");
        Path dir = Files.createTempDirectory("credproxy-bench");
        try (ServerSocket server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
                SqliteAuditLog audit = new SqliteAuditLog(dir.resolve("audit.db"), new RedactionService()::scrub,
                        Duration.ofSeconds(30))) {
            Thread t = new Thread(() -> serve(server, (long) mib << 20), "upstream");
            t.setDaemon(true);
            t.start();
            int port = server.getLocalPort();
            CredProxyService.Config config = (CredProxyService.Config) java.lang.reflect.Proxy.newProxyInstance(
                    CredProxyBench.class.getClassLoader(), new Class<?>[] {CredProxyService.Config.class},
                    (p, m, a) -> switch (m.getName()) {
                        case "annotationType" -> CredProxyService.Config.class;
                        case "allowPrivateUpstreams" -> true;
                        default -> m.getDefaultValue();
                    });
            CredProxyService proxy = new CredProxyService(config, audit, new OneSecret());
            EgressPolicy policy = new EgressPolicy("bench", List.of(new EgressRule("local", HostPattern.parse("localhost"),
                    Set.of(port), Set.of("GET"), EgressRule.Action.ALLOW)),
                    grant ? List.of(new SecretGrant("TOKEN", "TOKEN", List.of(HostPattern.parse("localhost")))) : List.of(),
                    new EgressLimits(1_000_000, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, 64));
            try (EgressSession session = proxy.open("bench", policy)) {
                InetSocketAddress direct = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
                String host = "localhost:" + port;
                String directGet = "GET /small HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
                String proxiedGet = "GET http://" + host + "/small HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
                // warm up both paths (JIT, SQLite, page cache)
                latencies(direct, directGet, requests / 3);
                latencies(session.proxyAddress(), proxiedGet, requests / 3);
                long[] d = latencies(direct, directGet, requests);
                long[] p = latencies(session.proxyAddress(), proxiedGet, requests);
                System.out.printf("small GET, %d requests, new connection each (microseconds):%n", requests);
                System.out.printf("  direct   p50 %7.1f  p90 %7.1f  p99 %7.1f%n", us(d, 50), us(d, 90), us(d, 99));
                System.out.printf("  proxied  p50 %7.1f  p90 %7.1f  p99 %7.1f%n", us(p, 50), us(p, 90), us(p, 99));
                System.out.printf("  added    p50 %7.1f  (target: under 1000)%n", us(p, 50) - us(d, 50));
                String directBig = "GET /big HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
                String proxiedBig = "GET http://" + host + "/big HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
                download(direct, directBig);
                download(session.proxyAddress(), proxiedBig);
                double db = best(direct, directBig, mib);
                double pb = best(session.proxyAddress(), proxiedBig, mib);
                System.out.printf("%d MiB download, best of 3 (MiB/s):%n", mib);
                System.out.printf("  direct   %8.1f%n  proxied  %8.1f  (%.0f %% of direct; target: at least 90 %%)%n", db, pb,
                        100 * pb / db);
            }
        }
    }

    private static long[] latencies(InetSocketAddress to, String request, int n) throws IOException {
        long[] out = new long[n];
        byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            try (Socket s = new Socket()) {
                s.setTcpNoDelay(true);
                s.connect(to);
                s.getOutputStream().write(bytes);
                byte[] all = s.getInputStream().readAllBytes();
                if (all.length < SMALL.length || all[9] != '2') {
                    throw new IOException("unexpected answer: " + new String(all, StandardCharsets.US_ASCII));
                }
            }
            out[i] = System.nanoTime() - start;
        }
        Arrays.sort(out);
        return out;
    }

    private static double us(long[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1000.0;
    }

    private static double best(InetSocketAddress to, String request, int mib) throws IOException {
        double best = 0;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            long bytes = download(to, request);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (bytes < ((long) mib << 20)) {
                throw new IOException("download ended after " + bytes + " bytes");
            }
            best = Math.max(best, mib / seconds);
        }
        return best;
    }

    private static long download(InetSocketAddress to, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(to);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
            }
            return total;
        }
    }

    /** A minimal HTTP/1.1 server: /small answers a few bytes, anything else {@code bigBytes}. */
    private static void serve(ServerSocket server, long bigBytes) {
        while (true) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            Thread t = new Thread(() -> answer(s, bigBytes));
            t.setDaemon(true);
            t.start();
        }
    }

    private static void answer(Socket s, long bigBytes) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                head.append((char) c);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    break;
                }
            }
            OutputStream out = s.getOutputStream();
            boolean small = head.toString().startsWith("GET /small");
            long length = small ? SMALL.length : bigBytes;
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            if (small) {
                out.write(SMALL);
            } else {
                byte[] chunk = new byte[1 << 16];
                Arrays.fill(chunk, (byte) 'x');
                for (long left = bigBytes; left > 0; left -= chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, left));
                }
            }
            out.flush();
        } catch (IOException e) {
            // the client went away
        }
    }

    /** The one secret the bench grants, so the swap runs over every byte. */
    private static final class OneSecret implements SecretStore {
        @Override
        public Optional<Secret> get(String name) {
            return Optional.of(Secret.ofUtf8(name, "bench-secret-value-0123456789".toCharArray()));
        }

        @Override
        public Set<String> names() {
            return Set.of("TOKEN");
        }

        @Override
        public List<SecretEntry> list() {
            return List.of(new SecretEntry("TOKEN", "store"));
        }

        @Override
        public void set(Secret secret) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean remove(String name) {
            return false;
        }
    }
}
