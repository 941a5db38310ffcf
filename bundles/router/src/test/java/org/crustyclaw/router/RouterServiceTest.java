package org.crustyclaw.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.crustyclaw.api.channel.Channel;
import org.crustyclaw.api.channel.InboundMessage;
import org.crustyclaw.api.channel.OutboundMessage;
import org.crustyclaw.api.policy.Principal;
import org.crustyclaw.api.review.ApprovalRequest;
import org.crustyclaw.api.review.Decision;
import org.crustyclaw.security.approval.SqliteApprovals;
import org.crustyclaw.security.audit.SqliteAuditLog;
import org.crustyclaw.security.policy.PolicyService;
import org.crustyclaw.security.redact.RedactionService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands from a channel against the real policy engine, audit log and approvals. */
class RouterServiceTest {

    static final String POLICY = """
            [[policy.rules]]
            id = "operators"
            role = "admin"
            action = "*"
            resource = "*"
            effect = "allow"
            """;

    @TempDir
    Path dir;
    SqliteAuditLog audit;
    PolicyService policy;
    SqliteApprovals approvals;
    RouterService router;
    final BlockingQueue<OutboundMessage> sent = new LinkedBlockingQueue<>();

    /** A channel that keeps what it is asked to send. */
    final Channel chat = new Channel() {
        @Override
        public String name() {
            return "chat";
        }

        @Override
        public boolean connected() {
            return true;
        }

        @Override
        public void send(OutboundMessage message) throws IOException {
            sent.add(message);
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        audit = new SqliteAuditLog(dir.resolve("crustyclaw.db"), new RedactionService()::scrub, Duration.ofSeconds(10));
        policy = new PolicyService(audit, Clock.systemUTC());
        policy.apply("crustyclaw.toml", POLICY);
        approvals = new SqliteApprovals(dir.resolve("crustyclaw.db"), audit, policy, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (router != null) {
            router.deactivate();
        }
        approvals.close();
        audit.close();
    }

    private RouterService router(String... notify) {
        router = new RouterService(policy, approvals, config(notify));
        router.addChannel(chat);
        return router;
    }

    private static RouterService.Config config(String... notify) {
        return (RouterService.Config) Proxy.newProxyInstance(RouterService.Config.class.getClassLoader(),
                new Class<?>[] {RouterService.Config.class}, (p, m, a) -> switch (m.getName()) {
                    case "notifyTo" -> notify;
                    case "approvalPollMillis" -> 100L;
                    default -> m.getDefaultValue();
                });
    }

    private static InboundMessage from(String who, Set<String> roles, String text) {
        return new InboundMessage("chat", who, new Principal.Authenticated("chat:" + who, roles, "chat", "test"),
                Optional.empty(), text, Instant.now(), "1", List.of());
    }

    private CompletableFuture<Decision> pending(String id) {
        return approvals.request(new ApprovalRequest(id, "sandbox.exec rm -rf build", "llm-generated code", "agent",
                "generated-code-asks", Optional.of("rm -rf build"), Instant.now(), Instant.now().plusSeconds(600)))
                .toCompletableFuture();
    }

    private OutboundMessage reply() throws InterruptedException {
        OutboundMessage m = sent.poll(60, TimeUnit.SECONDS);
        assertThat(m).as("a reply within the hang guard").isNotNull();
        return m;
    }

    @Test
    void anOperatorApprovesFromTheChatAndTheWaitingActionGoesOn() throws Exception {
        CompletableFuture<Decision> waiting = pending("ap-1");
        router().accept(from("+491", Set.of("admin"), "approve ap-1 reviewed the diff"));
        assertThat(reply().text()).isEqualTo("Approved ap-1.");
        Decision d = waiting.get(60, TimeUnit.SECONDS);
        assertThat(d.approved()).isTrue();
        assertThat(d.by()).isEqualTo("chat:+491");
        assertThat(d.reason()).isEqualTo("reviewed the diff");
        assertThat(audit.tail(20)).anySatisfy(e -> assertThat(e.payload()).containsEntry("action", "channel.command")
                .containsEntry("resource", "command.approve"));
    }

    @Test
    void someoneWithoutARoleIsRefusedAndTheApprovalStaysPending() throws Exception {
        CompletableFuture<Decision> waiting = pending("ap-2");
        router().accept(from("+492", Set.of("anonymous"), "approve ap-2"));
        assertThat(reply().text()).startsWith("Not allowed: approve (rule default-deny)");
        assertThat(waiting).isNotDone();
        assertThat(approvals.pending()).extracting(ApprovalRequest::id).containsExactly("ap-2");
    }

    @Test
    void rejectCarriesTheReasonAndAnUnknownIdSaysSo() throws Exception {
        CompletableFuture<Decision> waiting = pending("ap-3");
        router().accept(from("+491", Set.of("admin"), "reject ap-3 not on a Friday"));
        assertThat(reply().text()).isEqualTo("Rejected ap-3.");
        assertThat(waiting.get(60, TimeUnit.SECONDS).reason()).isEqualTo("not on a Friday");
        router.accept(from("+491", Set.of("admin"), "approve nope"));
        assertThat(reply().text()).startsWith("Cannot answer nope:");
        router.accept(from("+491", Set.of("admin"), "approve"));
        assertThat(reply().text()).startsWith("usage: approve ID [reason]");
    }

    @Test
    void helpStatusApprovalsAndUnknownVerbsAnswer() throws Exception {
        pending("ap-4");
        RouterService r = router();
        r.accept(from("+491", Set.of("admin"), "/help"));
        assertThat(reply().text()).contains("approve ID [reason]");
        r.accept(from("+491", Set.of("admin"), "status"));
        assertThat(reply().text()).contains("Pending approvals: 1").contains("Channels: chat");
        r.accept(from("+491", Set.of("admin"), "approvals"));
        assertThat(reply().text()).contains("ap-4: sandbox.exec rm -rf build");
        r.accept(from("+491", Set.of("admin"), "frobnicate now"));
        assertThat(reply().text()).startsWith("Unknown command 'frobnicate'").contains("Commands:");
        r.accept(from("+491", Set.of("admin"), "   "));
        r.accept(from("+491", Set.of("admin"), "help"));
        assertThat(reply().text()).as("an empty message gets no answer").startsWith("Commands:");
    }

    @Test
    void pendingApprovalsAreOfferedOnceToTheOperators() throws Exception {
        router("chat:+491");
        pending("ap-5");
        OutboundMessage offer = reply();
        assertThat(offer.recipient()).isEqualTo("+491");
        assertThat(offer.text()).contains("Approval needed ap-5").contains("rm -rf build")
                .contains("Reply 'approve ap-5'");
        pending("ap-6");
        assertThat(reply().text()).as("the next offer is the new one, not ap-5 again").contains("ap-6");
    }

    @Test
    void aNotifyEntryWithoutAChannelIsAConfigurationError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RouterService(policy, approvals, config("+491")))
                .hasMessageContaining("'+491' is not channel:recipient");
    }

    @Test
    void parsingKeepsAMultiLineReason() {
        ChannelCommand c = ChannelCommand.parse("!Reject ap-1 first line\nsecond line");
        assertThat(c.verb()).isEqualTo("reject");
        assertThat(c.arg(0)).contains("ap-1");
        assertThat(c.restFrom(1)).isEqualTo("first line\nsecond line");
        assertThat(Map.of("v", ChannelCommand.parse("").verb())).containsEntry("v", "");
    }
}
