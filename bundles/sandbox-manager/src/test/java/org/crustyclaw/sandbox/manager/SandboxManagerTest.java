package org.crustyclaw.sandbox.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.crustyclaw.api.audit.AuditEvent;
import org.crustyclaw.api.audit.AuditException;
import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.policy.Effect;
import org.crustyclaw.api.policy.Principal;
import org.crustyclaw.api.review.ApprovalRequest;
import org.crustyclaw.api.review.Approvals;
import org.crustyclaw.api.review.Decision;
import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.IsolationLevel;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.PoolStats;
import org.crustyclaw.api.sandbox.RunRequest;
import org.crustyclaw.api.sandbox.Sandboxes.Ran;
import org.crustyclaw.api.sandbox.Sandboxes.Refusal;
import org.crustyclaw.api.sandbox.Sandboxes.RunOutcome;
import org.crustyclaw.api.sandbox.TrustTier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run path: selection, policy, audit and the whiteboard, over recording backends. */
class SandboxManagerTest {

    @TempDir
    Path tmp;
    SandboxManager manager;
    final FakeBackend bwrap = new FakeBackend("bwrap", IsolationLevel.L2);
    final List<OutputLine> lines = new ArrayList<>();
    final RecordingAudit audit = new RecordingAudit(false);
    final SelectorTest.RecordingPolicy allow = new SelectorTest.RecordingPolicy(Effect.ALLOW);

    @BeforeEach
    void activate() throws Exception {
        manager = new SandboxManager(Defaults.of(SandboxManager.Config.class,
                Map.of("workspaceRoot", tmp.resolve("ws").toString())));
        manager.addBackend(bwrap);
        manager.setAudit(audit);
        manager.setPolicy(allow);
    }

    @AfterEach
    void deactivate() {
        manager.deactivate();
    }

    private RunOutcome run(TrustTier tier) throws Exception {
        return manager.run(RunRequest.of(SelectorTest.ALICE, tier, List.of("echo", "hi")), lines::add);
    }

    @Test
    void runsOnTheChosenBackendInAFreshWorkspace() throws Exception {
        Ran ran = (Ran) run(TrustTier.INTERNAL);
        assertThat(ran.backend()).isEqualTo("bwrap");
        assertThat(ran.result().ending()).isEqualTo(ExecResult.Ending.EXITED);
        assertThat(ran.workspace()).startsWith(tmp.resolve("ws")).isDirectory();
        assertThat(lines).extracting(OutputLine::text).containsExactly("bwrap: echo hi");
        assertThat(ran.notes()).isEmpty();
    }

    /** Fail closed: no policy engine, no run; it used to run "with a note". */
    @Test
    void withNoPolicyEngineNothingRuns() throws Exception {
        manager.unsetPolicy(allow);
        RunOutcome outcome = run(TrustTier.INTERNAL);
        assertThat(((Refusal) outcome).reason()).contains("no policy engine is installed", "nothing runs");
        assertThat(bwrap.ran).isEmpty();
        assertThat(audit.events).isEmpty();
    }

    @Test
    void withNoAuditLogNothingRuns() throws Exception {
        manager.unsetAudit(audit);
        RunOutcome outcome = run(TrustTier.INTERNAL);
        assertThat(((Refusal) outcome).reason()).contains("no audit log is installed", "nothing runs");
        assertThat(bwrap.ran).isEmpty();
    }

    /** select hands out what the backend is, not the service: callers cannot run it around the checks. */
    @Test
    void aSelectionNamesTheBackendWithoutHandingItOut() {
        var chosen = (org.crustyclaw.api.sandbox.Sandboxes.Chosen) manager.select(
                RunRequest.of(SelectorTest.ALICE, TrustTier.INTERNAL, List.of("true")));
        assertThat(chosen.backend()).isEqualTo(new org.crustyclaw.api.sandbox.BackendStatus("bwrap", IsolationLevel.L2,
                Optional.empty()));
        assertThat(chosen.required()).isEqualTo(IsolationLevel.L2);
        assertThat(bwrap.ran).isEmpty();
    }

    @Test
    void aPolicyDenialIsARefusalAndNothingRuns() throws Exception {
        SelectorTest.RecordingPolicy deny = new SelectorTest.RecordingPolicy(Effect.DENY);
        manager.setPolicy(deny);
        RunOutcome outcome = run(TrustTier.INTERNAL);
        assertThat(outcome).isInstanceOf(Refusal.class);
        assertThat(((Refusal) outcome).reason()).contains("policy did not allow sandbox.exec on sandbox.bwrap")
                .contains("rule r1");
        assertThat(deny.asked).containsExactly("alice sandbox.exec sandbox.bwrap");
        assertThat(bwrap.ran).isEmpty();
    }

    /** Answers every request at once, as a human at the CLI would. */
    static final class AnsweringApprovals implements Approvals {
        final List<ApprovalRequest> asked = new ArrayList<>();
        private final boolean approve;

        AnsweringApprovals(boolean approve) {
            this.approve = approve;
        }

        @Override
        public CompletionStage<Decision> request(ApprovalRequest request, Duration timeout) {
            asked.add(request);
            return CompletableFuture.completedFuture(new Decision(request.id(), approve, "bob", approve ? "" : "not today",
                    Instant.now()));
        }

        @Override
        public CompletionStage<Decision> request(ApprovalRequest request) {
            return request(request, DEFAULT_TIMEOUT);
        }

        @Override
        public List<ApprovalRequest> pending() {
            return List.of();
        }

        @Override
        public Optional<ApprovalRequest> find(String id) {
            return Optional.empty();
        }

        @Override
        public void withdraw(String id, String reason) {
            throw new IllegalArgumentException("answered at request time");
        }

        @Override
        public Optional<Decision> decision(String id) {
            return Optional.empty();
        }

        @Override
        public Decision answer(String id, boolean approve, Principal.Authenticated by, String reason) {
            throw new IllegalArgumentException("answered at request time");
        }
    }

    @Test
    void anAskWaitsForApprovalNamesTheRequestAndRunsWhenApproved() throws Exception {
        manager.setPolicy(new SelectorTest.RecordingPolicy(Effect.ASK));
        AnsweringApprovals approvals = new AnsweringApprovals(true);
        manager.setApprovals(approvals);
        Ran ran = (Ran) run(TrustTier.INTERNAL);
        assertThat(approvals.asked).singleElement().satisfies(r -> {
            assertThat(r.what()).isEqualTo("sandbox.exec echo hi");
            assertThat(r.rule()).isEqualTo("r1");
        });
        String id = approvals.asked.get(0).id();
        assertThat(lines).extracting(OutputLine::text).first().asString().contains("waiting for approval " + id,
                "crustyclaw review approve " + id);
        assertThat(ran.notes()).contains("approved as " + id + " by bob");
        assertThat(bwrap.ran).hasSize(1);
    }

    /** Files the request, answers never, and records what the requester withdrew. */
    static final class SilentApprovals implements Approvals {
        final java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        final List<String> withdrawn = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile String id;

        @Override
        public CompletionStage<Decision> request(ApprovalRequest request, Duration timeout) {
            id = request.id();
            asked.countDown();
            return new CompletableFuture<>();
        }

        @Override
        public CompletionStage<Decision> request(ApprovalRequest request) {
            return request(request, DEFAULT_TIMEOUT);
        }

        @Override
        public List<ApprovalRequest> pending() {
            return List.of();
        }

        @Override
        public Optional<ApprovalRequest> find(String id) {
            return Optional.empty();
        }

        @Override
        public Optional<Decision> decision(String id) {
            return Optional.empty();
        }

        @Override
        public void withdraw(String id, String reason) {
            withdrawn.add(id + ": " + reason);
        }

        @Override
        public Decision answer(String id, boolean approve, Principal.Authenticated by, String reason) {
            throw new IllegalArgumentException("never answered");
        }
    }

    @Test
    void aRequesterThatStopsWaitingWithdrawsItsApproval() throws Exception {
        manager.setPolicy(new SelectorTest.RecordingPolicy(Effect.ASK));
        SilentApprovals approvals = new SilentApprovals();
        manager.setApprovals(approvals);
        CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
        Thread requester = new Thread(() -> {
            try {
                outcome.complete(run(TrustTier.INTERNAL));
            } catch (Exception e) {
                outcome.completeExceptionally(e);
            }
        });
        requester.start();
        approvals.asked.await();
        requester.interrupt(); // as the admin socket does when the client goes away
        Refusal refused = (Refusal) outcome.get();
        assertThat(refused.reason()).contains("cancelled while waiting for approval " + approvals.id, "withdrawn");
        assertThat(approvals.withdrawn).singleElement().asString().startsWith(approvals.id + ": the requester stopped waiting");
        assertThat(bwrap.ran).isEmpty();
    }

    @Test
    void anAskThatIsRejectedOrCannotBeAskedIsARefusal() throws Exception {
        manager.setPolicy(new SelectorTest.RecordingPolicy(Effect.ASK));
        assertThat(((Refusal) run(TrustTier.INTERNAL)).reason()).contains("no approval service is installed");
        manager.setApprovals(new AnsweringApprovals(false));
        assertThat(((Refusal) run(TrustTier.INTERNAL)).reason()).contains("rejected by bob: not today");
        assertThat(bwrap.ran).isEmpty();
    }

    @Test
    void aBackendsOwnPoolIsListedBesideTheManagersPools() {
        PoolStats vms = new PoolStats("base", IsolationLevel.L3, "qemu-microvm", 2, 1, 1, 0, 5, 3, 1.2, 5.1, "");
        manager.addBackend(new FakeBackend("qemu-microvm", IsolationLevel.L3) {
            @Override
            public Optional<PoolStats> ownPool() {
                return Optional.of(vms);
            }
        });
        assertThat(manager.pools()).contains(vms);
    }

    @Test
    void everyRunIsAuditedBeforeAndAfter() throws Exception {
        Ran ran = (Ran) run(TrustTier.INTERNAL);
        assertThat(ran.notes()).isEmpty();
        assertThat(audit.events).extracting(AuditEvent::type).containsExactly("sandbox.exec", "sandbox.exec");
        assertThat(audit.events.get(0).payload()).containsEntry("phase", "start").containsEntry("backend", "bwrap")
                .containsEntry("tier", "internal").containsEntry("command", "echo hi");
        assertThat(audit.events.get(1).payload()).containsEntry("phase", "end").containsEntry("ending", "EXITED")
                .containsEntry("exitCode", "0");
    }

    /** A run that fails after its start was recorded (the sandbox could not be made) still gets its end. */
    @Test
    void aRunThatFailsBeforeItStartsIsRecordedAsAFailedEnd() throws Exception {
        manager.removeBackend(bwrap);
        manager.addBackend(new FakeBackend("bwrap", IsolationLevel.L2) {
            @Override
            public ExecResult run(org.crustyclaw.api.sandbox.SandboxSpec spec, java.util.function.Consumer<OutputLine> out)
                    throws org.crustyclaw.api.sandbox.SandboxException {
                throw new org.crustyclaw.api.sandbox.SandboxException("bwrap: cannot create the namespace");
            }
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run(TrustTier.INTERNAL))
                .hasMessageContaining("cannot create the namespace");
        assertThat(audit.events).extracting(e -> e.payload().get("phase")).containsExactly("start", "end");
        assertThat(audit.events.get(1).payload()).containsEntry("ending", "FAILED")
                .containsEntry("reason", "bwrap: cannot create the namespace").containsEntry("backend", "bwrap");
    }

    @Test
    void aBackendThatBreaksStillEndsItsStartEvent() throws Exception {
        manager.removeBackend(bwrap);
        manager.addBackend(new FakeBackend("bwrap", IsolationLevel.L2) {
            @Override
            public ExecResult run(org.crustyclaw.api.sandbox.SandboxSpec spec, java.util.function.Consumer<OutputLine> out) {
                throw new IllegalStateException("backend bug");
            }
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run(TrustTier.INTERNAL)).hasMessage("backend bug");
        assertThat(audit.events).extracting(e -> e.payload().get("phase")).containsExactly("start", "end");
        assertThat(audit.events.get(1).payload()).containsEntry("ending", "FAILED").containsEntry("reason", "backend bug");
    }

    @Test
    void aRunTheAuditLogCannotRecordDoesNotStart() throws Exception {
        manager.unsetAudit(audit);
        manager.setAudit(new RecordingAudit(true));
        RunOutcome outcome = run(TrustTier.INTERNAL);
        assertThat(((Refusal) outcome).reason()).contains("audit log could not record");
        assertThat(bwrap.ran).isEmpty();
    }

    /** The manager's side of the whiteboard; FelixWhiteboardTest stops and starts a real backend bundle. */
    @Test
    void aRemovedBackendIsNoLongerChosenAndAnAddedOneIs() throws Exception {
        manager.removeBackend(bwrap);
        RunOutcome gone = run(TrustTier.INTERNAL);
        assertThat(((Refusal) gone).reason()).contains("no available sandbox backend at level L2");
        assertThat(((Refusal) gone).installed()).isEmpty();
        manager.addBackend(bwrap);
        assertThat(run(TrustTier.INTERNAL)).isInstanceOf(Ran.class);
        assertThat(manager.backends()).extracting(b -> b.name()).containsExactly("bwrap");
    }

    static final class RecordingAudit implements AuditLog {
        final boolean failing;
        final List<AuditEvent> events = new ArrayList<>();

        RecordingAudit(boolean failing) {
            this.failing = failing;
        }

        @Override
        public AuditEvent append(String type, String actor, Map<String, String> payload) throws AuditException {
            if (failing) {
                throw new AuditException("disk full", new java.io.IOException("disk full"));
            }
            AuditEvent e = new AuditEvent(events.size() + 1, Instant.now(), type, actor, payload, "0".repeat(64),
                    "1".repeat(64));
            events.add(e);
            return e;
        }

        @Override
        public List<AuditEvent> tail(int n) {
            return List.copyOf(events.subList(Math.max(0, events.size() - n), events.size()));
        }

        @Override
        public List<AuditEvent> after(long afterSeq, int limit) {
            return events.stream().filter(e -> e.seq() > afterSeq).limit(limit).toList();
        }

        @Override
        public List<AuditEvent> since(Instant since) {
            return events.stream().filter(e -> !e.at().isBefore(since)).toList();
        }

        @Override
        public org.crustyclaw.api.audit.VerifyResult verify() {
            return new org.crustyclaw.api.audit.VerifyResult.Intact(events.size(), "1".repeat(64));
        }
    }
}
