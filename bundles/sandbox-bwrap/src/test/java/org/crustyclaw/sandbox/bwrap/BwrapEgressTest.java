package org.crustyclaw.sandbox.bwrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpServer;

import org.crustyclaw.api.audit.AuditEvent;
import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.audit.VerifyResult;
import org.crustyclaw.api.egress.EgressLimits;
import org.crustyclaw.api.egress.EgressPolicy;
import org.crustyclaw.api.egress.EgressRule;
import org.crustyclaw.api.egress.EgressSession;
import org.crustyclaw.api.egress.HostPattern;
import org.crustyclaw.api.egress.SecretGrant;
import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.SandboxSpec;
import org.crustyclaw.api.secret.Secret;
import org.crustyclaw.api.secret.SecretStore;
import org.crustyclaw.credproxy.CredProxyService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bwrap sandbox whose only way out is the real credential proxy: its curl, holding a
 * sentinel, reaches an allowed loopback server that receives the real secret, while the
 * sandbox never sees the real value; everything else fails and is audited.
 */
class BwrapEgressTest {

    static final String REAL = "ghp_realSecretValue0123456789abcdef";
    static final String OTHER = "sk-otherRealSecretValue9876543210";

    static BwrapBackend backend;
    static CredProxyService proxy;
    static HttpServer server;
    static final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    static final List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());
    /** Each request's event is written after its client got the answer: the test waits for them here. */
    static final LinkedBlockingQueue<AuditEvent> arrivals = new LinkedBlockingQueue<>();

    @TempDir
    Path workspace;

    @BeforeAll
    static void start() throws IOException {
        backend = new BwrapBackend(Defaults.of(BwrapBackend.Config.class, Map.of()));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", exchange -> {
            String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
            received.add(exchange.getRequestURI() + " " + auth);
            byte[] body = ("you sent " + auth + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        proxy = new CredProxyService(Defaults.of(CredProxyService.Config.class, Map.of("allowPrivateUpstreams", true)),
                new Audit(), new Store());
    }

    @AfterAll
    static void stop() throws IOException {
        server.stop(0);
        backend.deactivate();
    }

    @Test
    void theSandboxReachesOnlyWhatItIsAllowedAndNeverHoldsTheRealSecret() throws Exception {
        int port = server.getAddress().getPort();
        EgressPolicy policy = new EgressPolicy("forge", List.of(new EgressRule("local", HostPattern.parse("localhost"),
                Set.of(port), Set.of("GET"), EgressRule.Action.ALLOW)),
                List.of(new SecretGrant("TOKEN", "API_TOKEN", List.of(HostPattern.parse("localhost"))),
                        new SecretGrant("OTHER", "OTHER_TOKEN", List.of(HostPattern.parse("api.example.com")))),
                EgressLimits.DEFAULT);
        Files.setPosixFilePermissions(workspace, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (EgressSession session = proxy.open("bwrap-test", policy)) {
            String sentinel = session.sentinels().get("API_TOKEN");
            String script = String.join("\n",
                    "echo \"env=$API_TOKEN\"",
                    "curl -sS -H \"Authorization: Bearer $API_TOKEN\" http://localhost:" + port + "/hello; echo allowed=$?",
                    "echo denied=$(curl -s -o /dev/null -w '%{http_code}' http://nowhere.example/)",
                    "echo wrong=$(curl -s -o /dev/null -w '%{http_code}' -H \"Authorization: $OTHER_TOKEN\" http://localhost:"
                            + port + "/x)",
                    "echo literal=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:" + port + "/)",
                    "curl -s --noproxy '*' -o /dev/null http://localhost:" + port + "/; echo direct=$?",
                    "curl -s --noproxy '*' -o /dev/null http://example.com/; echo dns=$?",
                    "env | grep -c real || true",
                    "");
            List<OutputLine> lines = Collections.synchronizedList(new ArrayList<>());
            SandboxSpec spec = new SandboxSpec(List.of("/bin/sh", "-c", script), workspace, session.sentinels(),
                    ResourceLimits.DEFAULT, "base").withEgress(session.proxySocket());
            ExecResult result = backend.run(spec, lines::add);
            String out = lines.stream().map(OutputLine::text).collect(Collectors.joining("\n"));

            assertThat(result.exitCode()).as(out).isZero();
            assertThat(out).contains("env=" + sentinel, "you sent Bearer " + sentinel, "allowed=0", "denied=403",
                    "wrong=403", "literal=403").doesNotContain(REAL).doesNotContain(OTHER);
            assertThat(out).containsPattern("direct=[1-9]").containsPattern("dns=[1-9]");
            assertThat(received.take()).isEqualTo("/hello Bearer " + REAL);
            assertThat(received).isEmpty();
        }
        int requests = 0;
        while (requests < 4) {
            AuditEvent e = arrivals.poll(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(e).as("the proxy's audit events of the four requests").isNotNull();
            requests += e.type().equals("egress.request") ? 1 : 0;
        }
        Map<String, Long> decisions = events.stream().filter(e -> e.type().equals("egress.request"))
                .collect(Collectors.groupingBy(e -> e.payload().get("rule"), Collectors.counting()));
        assertThat(decisions).containsEntry("local", 1L).containsEntry("default-deny", 1L)
                .containsEntry("secret-binding", 1L).containsEntry("ip-literal", 1L);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo("egress.sentinel_misdirected");
            assertThat(e.payload()).containsEntry("severity", "high").containsEntry("secret", "OTHER");
        });
    }

    /** Keeps events in memory. */
    static final class Audit implements AuditLog {
        @Override
        public AuditEvent append(String type, String actor, Map<String, String> payload) {
            AuditEvent e = new AuditEvent(events.size() + 1, Instant.now(), type, actor, payload, "0".repeat(64), "0".repeat(64));
            events.add(e);
            arrivals.add(e);
            return e;
        }

        @Override
        public List<AuditEvent> tail(int n) {
            return List.copyOf(events);
        }

        @Override
        public List<AuditEvent> after(long afterSeq, int limit) {
            return List.copyOf(events);
        }

        @Override
        public List<AuditEvent> since(Instant since) {
            return List.copyOf(events);
        }

        @Override
        public VerifyResult verify() {
            return new VerifyResult.Intact(events.size(), "0".repeat(64));
        }
    }

    /** Two secrets in memory. */
    static final class Store implements SecretStore {
        private final Map<String, String> values = Map.of("TOKEN", REAL, "OTHER", OTHER);

        @Override
        public Optional<Secret> get(String name) {
            return Optional.ofNullable(values.get(name)).map(v -> Secret.ofUtf8(name, v.toCharArray()));
        }

        @Override
        public Set<String> names() {
            return values.keySet();
        }

        @Override
        public List<SecretEntry> list() {
            return values.keySet().stream().sorted().map(n -> new SecretEntry(n, "store")).toList();
        }

        @Override
        public void set(Secret secret) {
            throw new UnsupportedOperationException("read-only in this test");
        }

        @Override
        public boolean remove(String name) {
            throw new UnsupportedOperationException("read-only in this test");
        }
    }
}
