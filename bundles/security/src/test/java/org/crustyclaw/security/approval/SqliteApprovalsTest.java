package org.crustyclaw.security.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.crustyclaw.api.audit.AuditEvent;
import org.crustyclaw.api.policy.Principal.Authenticated;
import org.crustyclaw.api.review.ApprovalRequest;
import org.crustyclaw.api.review.Decision;
import org.crustyclaw.security.audit.SqliteAuditLog;
import org.crustyclaw.security.policy.PolicyService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteApprovalsTest {

    @TempDir
    Path dir;
    Path db;
    SqliteAuditLog audit;
    PolicyService policy;
    SqliteApprovals approvals;
    final Authenticated lead = new Authenticated("carol", Set.of("lead"), "cli", "unix-peer-uid");
    final Authenticated intern = new Authenticated("dave", Set.of("intern"), "cli", "unix-peer-uid");

    @BeforeEach
    void setUp() throws Exception {
        db = dir.resolve("crustyclaw.db");
        audit = new SqliteAuditLog(db, s -> s, Duration.ofSeconds(10));
        policy = new PolicyService(audit, Clock.systemUTC());
        policy.apply("crustyclaw.toml", """
                [[policy.rules]]
                id = "leads-approve"
                role = "lead"
                action = "review.approve"
                resource = "approval.*"
                effect = "allow"
                """);
        approvals = new SqliteApprovals(db, audit, policy, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        approvals.close();
        audit.close();
    }

    static ApprovalRequest request(String id) {
        Instant now = Instant.now();
        return new ApprovalRequest(id, "sandbox.exec rm -rf build", "rule asks for destructive commands", "agent-7",
                "ask-destructive", Optional.of("rm -rf build"), now, now.plusSeconds(1));
    }

    @Test
    void approvalCompletesTheWaitingActionAndIsAudited() throws Exception {
        CompletableFuture<Decision> waiting = approvals.request(request("a1"), Duration.ofMinutes(30)).toCompletableFuture();
        assertThat(approvals.pending()).extracting(ApprovalRequest::id).containsExactly("a1");
        assertThat(waiting).isNotDone();
        approvals.answer("a1", true, lead, "looks fine");
        Decision d = waiting.get(5, TimeUnit.SECONDS);
        assertThat(d.approved()).isTrue();
        assertThat(d.by()).isEqualTo("carol");
        assertThat(approvals.pending()).isEmpty();
        assertThat(audit.tail(10)).extracting(AuditEvent::type)
                .contains("approval.request", "policy.decision", "approval.answer");
    }

    @Test
    void anApproverWithoutThePolicyRightIsRefused() {
        approvals.request(request("a2"), Duration.ofMinutes(30));
        assertThatThrownBy(() -> approvals.answer("a2", true, intern, "yolo")).isInstanceOf(SecurityException.class)
                .hasMessageContaining("dave").hasMessageContaining("review.approve on approval.ask-destructive");
        assertThat(approvals.pending()).hasSize(1);
    }

    @Test
    void answeringTwiceOrAnUnknownIdIsAClearError() {
        approvals.request(request("a3"), Duration.ofMinutes(30));
        approvals.answer("a3", false, lead, "no");
        assertThatThrownBy(() -> approvals.answer("a3", true, lead, "")).hasMessageContaining("already rejected by carol");
        assertThatThrownBy(() -> approvals.answer("zzz", true, lead, "")).hasMessageContaining("no approval request 'zzz'");
    }

    @Test
    void pendingRequestsSurviveARestartAndTheActionReattaches() throws Exception {
        approvals.request(request("a4"), Duration.ofMinutes(30));
        approvals.close();
        approvals = new SqliteApprovals(db, audit, policy, Clock.systemUTC());
        assertThat(approvals.pending()).extracting(ApprovalRequest::id).containsExactly("a4");
        CompletableFuture<Decision> resumed = approvals.request(request("a4"), Duration.ofMinutes(30)).toCompletableFuture();
        approvals.answer("a4", true, lead, "ok after restart");
        assertThat(resumed.get(5, TimeUnit.SECONDS).reason()).isEqualTo("ok after restart");
    }

    @Test
    void anUnansweredRequestIsRejectedByTimeout() throws Exception {
        CompletableFuture<Decision> waiting = approvals.request(request("a5"), Duration.ofMillis(200)).toCompletableFuture();
        Decision d = waiting.get(5, TimeUnit.SECONDS);
        assertThat(d.approved()).isFalse();
        assertThat(d.by()).isEqualTo("timeout");
        assertThat(d.reason()).contains("rejected automatically");
        assertThat(approvals.decision("a5")).contains(d);
    }

    @Test
    void theConfiguredDefaultTimeoutApplies() throws Exception {
        approvals.close();
        approvals = new SqliteApprovals(db, audit, policy, Clock.systemUTC(), Duration.ofMinutes(5));
        approvals.request(request("a7"));
        ApprovalRequest stored = approvals.find("a7").orElseThrow();
        assertThat(stored.expires()).as("filed now, expiring after the configured timeout")
                .isEqualTo(stored.created().plus(Duration.ofMinutes(5)));
        assertThatThrownBy(() -> new SqliteApprovals(db, audit, policy, Clock.systemUTC(), Duration.ZERO))
                .hasMessageContaining("PT0S is not positive");
    }

    @Test
    void requestsExpiredWhileTheDaemonWasDownAreRejectedOnStart() throws Exception {
        approvals.request(request("a6"), Duration.ofMinutes(30));
        approvals.close();
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofHours(1)), ZoneOffset.UTC);
        approvals = new SqliteApprovals(db, audit, policy, later);
        // the action that filed it waits again on the same id: it gets the expiry timer's answer (at once if it came first)
        Decision d = approvals.request(request("a6"), Duration.ofMinutes(30)).toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertThat(d.approved()).isFalse();
        assertThat(d.by()).isEqualTo("timeout");
        assertThat(approvals.decision("a6")).contains(d);
    }
}
