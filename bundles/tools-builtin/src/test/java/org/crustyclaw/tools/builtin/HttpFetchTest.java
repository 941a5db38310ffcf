package org.crustyclaw.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.crustyclaw.api.audit.AuditEvent;
import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.audit.VerifyResult;
import org.crustyclaw.api.egress.EgressLimits;
import org.crustyclaw.api.egress.EgressPolicy;
import org.crustyclaw.api.egress.EgressRule;
import org.crustyclaw.api.egress.HostPattern;
import org.crustyclaw.api.secret.SecretStore;
import org.crustyclaw.api.tool.ToolResult;
import org.crustyclaw.credproxy.CredProxyService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** http_fetch through the real credential proxy to a real local HTTP server. */
class HttpFetchTest {

    @TempDir
    Path ws;
    HttpServer server;
    CredProxyService egress;
    final LinkedBlockingQueue<AuditEvent> audited = new LinkedBlockingQueue<>();
    TestContext ctx;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hello", ex -> {
            byte[] body = "hello from upstream\n".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/big", ex -> {
            byte[] body = "x".repeat(100_000).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        egress = new CredProxyService(config(), audit(), secrets());
        ctx = TestContext.files(ws, 3000);
    }

    @AfterEach
    void stop() {
        ctx.egress.ifPresent(s -> s.close());
        server.stop(0);
    }

    EgressPolicy allowingLocalhost() {
        EgressRule rule = new EgressRule("local-test", HostPattern.parse("localhost"),
                Set.of(server.getAddress().getPort()), Set.of("GET"), EgressRule.Action.ALLOW);
        return new EgressPolicy("fetch-test", List.of(rule), List.of(), EgressLimits.DEFAULT);
    }

    String url(String path) {
        return "http://localhost:" + server.getAddress().getPort() + path;
    }

    @Test
    void fetchesThroughTheProxyWhatTheRulesAllowAndTheProxyAuditsIt() throws Exception {
        ctx.egress = Optional.of(egress.open("fetch-test", allowingLocalhost()));
        ToolResult r = ctx.call(new HttpFetchTool(), Map.of("url", url("/hello")));
        assertThat(r.error()).as(r.text()).isFalse();
        assertThat(r.text()).isEqualTo("HTTP 200\nContent-Type: text/plain\n\nhello from upstream\n");
        AuditEvent e = nextAudit("egress.request");
        assertThat(e.payload().toString()).contains("localhost", "/hello");
    }

    @Test
    void whatNoRuleAllowsIsRefusedByTheProxy() throws Exception {
        ctx.egress = Optional.of(egress.open("fetch-test", EgressPolicy.denyAll("fetch-test")));
        ToolResult r = ctx.call(new HttpFetchTool(), Map.of("url", url("/hello")));
        assertThat(r.error()).isTrue();
        assertThat(r.text()).startsWith("HTTP 403").doesNotContain("hello from upstream");
        assertThat(nextAudit("egress.request").payload().toString()).contains("deny");
    }

    @Test
    void aLargeBodyIsCutAtTheCap() throws Exception {
        ctx.egress = Optional.of(egress.open("fetch-test", allowingLocalhost()));
        ToolResult r = ctx.call(new HttpFetchTool(), Map.of("url", url("/big")));
        assertThat(r.text()).hasSizeLessThanOrEqualTo(3000 + 200).contains("[output truncated:");
    }

    @Test
    void withoutAnEgressSessionNothingIsFetched() throws Exception {
        ToolResult r = ctx.call(new HttpFetchTool(), Map.of("url", url("/hello")));
        assertThat(r.error()).isTrue();
        assertThat(r.text()).isEqualTo(HttpFetchTool.REFUSAL);
        assertThat(ctx.call(new HttpFetchTool(), Map.of("url", "file:///etc/passwd")).text())
                .contains("expected an http or https URL");
        assertThat(audited).isEmpty();
    }

    AuditEvent nextAudit(String type) throws InterruptedException {
        while (true) {
            // a guard against a hang, not a speed bound
            AuditEvent e = audited.poll(60, TimeUnit.SECONDS);
            assertThat(e).as("an audit event of type " + type).isNotNull();
            if (e.type().equals(type)) {
                return e;
            }
        }
    }

    static CredProxyService.Config config() {
        return (CredProxyService.Config) Proxy.newProxyInstance(CredProxyService.Config.class.getClassLoader(),
                new Class<?>[] {CredProxyService.Config.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "allowPrivateUpstreams" -> true;
                    case "annotationType" -> CredProxyService.Config.class;
                    case "hashCode" -> 0;
                    case "equals" -> proxy == args[0];
                    case "toString" -> "Config";
                    default -> m.getDefaultValue();
                });
    }

    AuditLog audit() {
        return new AuditLog() {
            long seq;

            @Override
            public synchronized AuditEvent append(String type, String actor, Map<String, String> payload) {
                AuditEvent e = new AuditEvent(++seq, Instant.now(), type, actor, payload, "0".repeat(64),
                        "0".repeat(64));
                audited.add(e);
                return e;
            }

            @Override
            public List<AuditEvent> tail(int n) {
                return List.copyOf(audited);
            }

            @Override
            public List<AuditEvent> after(long afterSeq, int limit) {
                return List.copyOf(audited);
            }

            @Override
            public List<AuditEvent> since(Instant since) {
                return List.copyOf(audited);
            }

            @Override
            public VerifyResult verify() {
                return new VerifyResult.Intact(seq, "0".repeat(64));
            }
        };
    }

    static SecretStore secrets() {
        return (SecretStore) Proxy.newProxyInstance(SecretStore.class.getClassLoader(),
                new Class<?>[] {SecretStore.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "get" -> Optional.empty();
                    case "names" -> Set.of();
                    case "list" -> List.of();
                    case "hashCode" -> 0;
                    case "equals" -> proxy == args[0];
                    case "toString" -> "no secrets";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
