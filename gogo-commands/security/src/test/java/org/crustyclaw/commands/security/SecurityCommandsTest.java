package org.crustyclaw.commands.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.crustyclaw.api.review.ApprovalRequest;
import org.crustyclaw.security.approval.SqliteApprovals;
import org.crustyclaw.security.audit.SqliteAuditLog;
import org.crustyclaw.security.policy.PolicyService;
import org.crustyclaw.security.redact.RedactionService;
import org.crustyclaw.security.secret.EncryptedStoreFile;
import org.crustyclaw.security.secret.Secrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands over the real security services, as a shell user would call them. */
class SecurityCommandsTest {

    static final String POLICY = """
            [[policy.rules]]
            id = "ops-tools"
            role = "operator"
            action = "tool.call"
            resource = "tool.*"
            effect = "allow"

            [[policy.rules]]
            id = "admins-approve"
            role = "admin"
            action = "review.approve"
            resource = "approval.*"
            effect = "allow"
            """;

    @TempDir
    Path dir;
    SqliteAuditLog audit;
    PolicyService policy;
    RedactionService redaction = new RedactionService();

    @BeforeEach
    void setUp() throws Exception {
        audit = new SqliteAuditLog(dir.resolve("crustyclaw.db"), redaction::scrub, Duration.ofSeconds(10));
        policy = new PolicyService(audit, Clock.systemUTC());
        policy.apply("crustyclaw.toml", POLICY);
    }

    @AfterEach
    void tearDown() {
        audit.close();
    }

    @Test
    void policyCheckPrintsTheDecisionAndTheDecidingRule() throws Exception {
        PolicyCommands commands = new PolicyCommands(policy);
        String json = commands.check(null, "operator", "tool.call", "tool.echo", "", "", true, "");
        assertThat(json).contains("\"decision\" : \"allow\"", "\"rule\" : \"ops-tools\"");
        String human = commands.check(null, "guest", "tool.call", "tool.echo", "", "", false, "");
        assertThat(human).startsWith("decision: deny\nrule: default-deny\n");
    }

    @Test
    void policyCheckAndListReadAFileWithoutTheDaemonPolicy() throws Exception {
        Path file = Files.writeString(dir.resolve("other.toml"), POLICY.replace("\"allow\"", "\"ask\""));
        PolicyCommands commands = new PolicyCommands(policy);
        assertThat(commands.check(null, "operator", "tool.call", "tool.echo", "", "", true, file.toString()))
                .contains("\"decision\" : \"ask\"");
        assertThat(commands.list(null, false, file.toString())).contains("ID", "ops-tools", "ask", "other.toml:1");
    }

    @Test
    void policyCheckWithoutARoleSaysWhatIsMissing() {
        assertThatThrownBy(() -> new PolicyCommands(policy).check(null, "", "tool.call", "*", "", "", false, ""))
                .hasMessageContaining("--role is missing");
    }

    @Test
    void policyTestFailsWhenAnExpectationFails() throws Exception {
        Path cases = Files.writeString(dir.resolve("cases.toml"), """
                [[case]]
                name = "ops echo"
                role = "operator"
                action = "tool.call"
                resource = "tool.echo"
                expect = "allow"
                """);
        assertThat(new PolicyCommands(policy).test(null, false, "", cases.toString())).contains("ops echo", "PASS");
        Files.writeString(cases, Files.readString(cases).replace("\"allow\"", "\"deny\""));
        assertThatThrownBy(() -> new PolicyCommands(policy).test(null, false, "", cases.toString()))
                .hasMessage("1 of 1 policy cases failed");
    }

    @Test
    void auditTailVerifyAndExport() throws Exception {
        audit.append("sandbox.exec", "bob", Map.of("cmd", "make test"));
        AuditCommands commands = new AuditCommands(audit);
        assertThat(commands.tail(null, 5, false, false)).contains("SEQ", "sandbox.exec", "bob", "cmd=make test");
        assertThat(commands.tail(null, 5, false, true)).contains("\"prevHash\"", "\"hash\"");
        assertThat(commands.verify(false)).startsWith("status: intact\nevents: 2\n");
        assertThat(commands.export("2000-01-01")).contains("\"type\" : \"config.reload\"", "\"type\" : \"sandbox.exec\"");
        assertThatThrownBy(() -> commands.export("yesterday")).hasMessageContaining("--since 'yesterday' is not a time");
    }

    @Test
    void auditTailFollowStreamsNewEventsUntilInterrupted() throws Exception {
        AuditCommands commands = new AuditCommands(audit);
        CountDownLatch printed = new CountDownLatch(1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                super.write(b, off, len);
                if (toString(StandardCharsets.UTF_8).contains("new.jar")) {
                    printed.countDown();
                }
            }
        };
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        var last = audit.tail(1); // read before the new event is appended, or the follower might start after it
        Thread follower = new Thread(() -> {
            try {
                commands.follow(out, last, false);
            } catch (InterruptedException stopped) {
                // what Ctrl-C does
            }
        });
        follower.start();
        audit.append("plugin.install", "deploy", Map.of("file", "new.jar"));
        assertThat(printed.await(60, TimeUnit.SECONDS)).as("the follower printed the new event: %s",
                bytes.toString(StandardCharsets.UTF_8)).isTrue();
        follower.interrupt();
        follower.join(2000);
        assertThat(follower.isAlive()).isFalse();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("config.reload").contains("plugin.install").contains("new.jar");
    }

    @Test
    void secretsAreReadFromInputAndNeverPrinted() throws Exception {
        Secrets store = new Secrets(new EncryptedStoreFile(dir.resolve("s.store"), dir.resolve("s.key")), dir.resolve("secrets"),
                Map.of(), "CRUSTYCLAW_SECRET_", audit, redaction);
        SecretsCommands commands = new SecretsCommands(store);
        String out = commands.set(new ByteArrayInputStream("tok-123456789\n".getBytes(StandardCharsets.UTF_8)), "github", false);
        assertThat(out).isEqualTo("name: github\nresult: stored\n");
        assertThat(new String(store.get("github").orElseThrow().reveal(), StandardCharsets.UTF_8)).isEqualTo("tok-123456789");
        assertThat(commands.list(false)).contains("github", "store").doesNotContain("tok-123456789");
        assertThat(commands.list(true)).contains("\"name\" : \"github\"").doesNotContain("tok-123456789");
        assertThat(commands.rm(false, "github")).contains("removed");
        assertThatThrownBy(() -> commands.rm(false, "github")).hasMessageContaining("no secret 'github'");
        assertThatThrownBy(() -> commands.set(new ByteArrayInputStream(new byte[0]), "empty", false))
                .hasMessageContaining("no value for secret 'empty'");
    }

    public record ProviderConfig(String name, org.crustyclaw.api.secret.Secret key) {}

    @Test
    void secretsInCommandOutputAreRedactedInBothForms() {
        var config = new ProviderConfig("openai", org.crustyclaw.api.secret.Secret.ofUtf8("openai", "sk-live-value".toCharArray()));
        assertThat(org.crustyclaw.commands.format.Output.json(config)).contains("\"value\" : \"<redacted>\"")
                .doesNotContain("sk-live-value");
        assertThat(org.crustyclaw.commands.format.Output.human(config)).contains("key: Secret[openai=<redacted>]")
                .doesNotContain("sk-live-value");
    }

    @Test
    void reviewListShowAndApproveAsTheLocalOperator() throws Exception {
        try (SqliteApprovals approvals = new SqliteApprovals(dir.resolve("crustyclaw.db"), audit, policy, Clock.systemUTC())) {
            Instant now = Instant.now();
            var waiting = approvals.request(new ApprovalRequest("r1", "sandbox.exec rm -rf build", "destructive", "agent",
                    "ask-rm", Optional.of("rm -rf build"), now, now.plusSeconds(60)), Duration.ofMinutes(30)).toCompletableFuture();
            ReviewCommands commands = new ReviewCommands(approvals);
            assertThat(commands.list(false)).contains("r1", "sandbox.exec rm -rf build", "ask-rm");
            assertThat(commands.show(false, "r1")).contains("status: pending", "detail: rm -rf build");
            assertThatThrownBy(() -> commands.approve(null, "fine", true, "r1")).as("no principal, no answer")
                    .hasMessageContaining("unauthenticated");
            assertThat(commands.show(false, "r1")).contains("status: pending");
            var io = new org.apache.felix.gogo.runtime.threadio.ThreadIOImpl();
            io.start();
            var session = new org.apache.felix.gogo.runtime.CommandProcessorImpl(io).createSession(
                    new java.io.ByteArrayInputStream(new byte[0]), System.out, System.err);
            session.put(org.crustyclaw.commands.format.Arguments.PRINCIPAL,
                    new org.crustyclaw.api.policy.Principal.Authenticated("root", java.util.Set.of("admin"), "cli", "test"));
            assertThat(commands.approve(session, "fine", true, "r1")).contains("\"approved\" : true");
            assertThat(waiting.get().approved()).isTrue();
            assertThat(commands.show(true, "r1")).contains("\"status\" : \"approved\"", "\"reason\" : \"fine\"");
            assertThat(commands.list(false)).isEqualTo("(none)\n");
            assertThatThrownBy(() -> commands.reject(session, "", false, "r1")).hasMessageContaining("already approved");
            session.close();
            io.stop();
        }
    }
}
