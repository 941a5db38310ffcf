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

    /** Its requester died with the previous run: an answer would release nothing. */
    @Test
    void aRestartWithdrawsWhatThePreviousRunLeftPendingAndAuditsIt() throws Exception {
        CompletableFuture<Decision> before = approvals.request(request("a4"), Duration.ofMinutes(30)).toCompletableFuture();
        approvals.close();
        assertThat(before).isCompletedExceptionally();
        approvals = new SqliteApprovals(db, audit, policy, Clock.systemUTC());
        assertThat(approvals.pending()).isEmpty();
        Decision d = approvals.decision("a4").orElseThrow();
        assertThat(d.approved()).isFalse();
        assertThat(d.by()).isEqualTo(SqliteApprovals.WITHDRAWN);
        assertThat(d.reason()).contains("daemon restarted");
        assertThat(audit.tail(5)).filteredOn(e -> e.type().equals("approval.withdrawn")).singleElement()
                .satisfies(e -> assertThat(e.payload()).containsEntry("id", "a4"));
        assertThatThrownBy(() -> approvals.answer("a4", true, lead, "too late")).hasMessageContaining("already rejected by withdrawn");
        assertThat(approvals.request(request("a4"), Duration.ofMinutes(30)).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .as("an action filing it again gets the decision").isEqualTo(d);
    }

    @Test
    void aRequesterThatGivesUpWithdrawsItsRequest() throws Exception {
        CompletableFuture<Decision> waiting = approvals.request(request("a8"), Duration.ofMinutes(30)).toCompletableFuture();
        approvals.withdraw("a8", "client went away");
        assertThat(waiting.get(5, TimeUnit.SECONDS).by()).isEqualTo(SqliteApprovals.WITHDRAWN);
        assertThat(approvals.pending()).isEmpty();
        assertThat(audit.tail(3)).extracting(AuditEvent::type).contains("approval.withdrawn");
        assertThatThrownBy(() -> approvals.answer("a8", true, lead, "")).hasMessageContaining("already rejected by withdrawn");
        approvals.withdraw("a8", "twice");
        approvals.withdraw("nope", "unknown");
        assertThat(approvals.decision("a8").orElseThrow().reason()).isEqualTo("client went away");
    }

    /** An offline CLI framework opens the same database beside the daemon: it must leave the daemon's requests alone. */
    @Test
    void aFrameworkBesideTheDaemonLeavesItsRequestsPendingAndCannotAnswerThem() throws Exception {
        approvals.request(request("a9"), Duration.ofMinutes(30));
        try (SqliteApprovals beside = new SqliteApprovals(db, audit, policy, Clock.systemUTC(), Duration.ofMinutes(30), false)) {
            assertThat(beside.pending()).as("nobody waits on it there").isEmpty();
            assertThatThrownBy(() -> beside.answer("a9", true, lead, "")).hasMessageContaining("nobody waiting");
        }
        assertThat(approvals.pending()).extracting(ApprovalRequest::id).containsExactly("a9");
        assertThat(approvals.decision("a9")).isEmpty();
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
