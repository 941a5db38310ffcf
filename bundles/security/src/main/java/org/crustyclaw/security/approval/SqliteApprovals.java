package org.crustyclaw.security.approval;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.crustyclaw.api.audit.AuditException;
import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.policy.PolicyEngine;
import org.crustyclaw.api.policy.Principal.Authenticated;
import org.crustyclaw.api.policy.Principal.Authorization;
import org.crustyclaw.api.review.ApprovalRequest;
import org.crustyclaw.api.review.Approvals;
import org.crustyclaw.api.review.Decision;
import org.crustyclaw.security.db.StateDatabase;

/**
 * Approvals kept in the state database. A request is pending while its requester waits: one
 * whose requester gives up is withdrawn, and on start those a previous run left are closed,
 * as timed out when their expiry passed meanwhile, else as withdrawn (their requesters died
 * with that run). Requests, answers and withdrawals are audited before they take effect.
 */
public final class SqliteApprovals implements Approvals, AutoCloseable {

    /** The policy action an approver needs, on resource {@code approval.<rule>}. */
    public static final String APPROVE_ACTION = "review.approve";
    public static final String TIMEOUT = "timeout";
    /** Who closes a request whose requester has gone. */
    public static final String WITHDRAWN = "withdrawn";

    private final Connection db;
    private final AuditLog audit;
    private final PolicyEngine policy;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Map<String, CompletableFuture<Decision>> waiting = new ConcurrentHashMap<>();
    private final Duration defaultTimeout;

    public SqliteApprovals(Path file, AuditLog audit, PolicyEngine policy, Clock clock) throws SQLException {
        this(file, audit, policy, clock, DEFAULT_TIMEOUT);
    }

    public SqliteApprovals(Path file, AuditLog audit, PolicyEngine policy, Clock clock, Duration defaultTimeout)
            throws SQLException {
        this(file, audit, policy, clock, defaultTimeout, true);
    }

    /**
     * @param closeLeftovers whether the requests a previous run left pending are closed now; false
     *                       for a framework that runs beside the daemon that owns them
     */
    public SqliteApprovals(Path file, AuditLog audit, PolicyEngine policy, Clock clock, Duration defaultTimeout,
            boolean closeLeftovers) throws SQLException {
        if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
            throw new IllegalArgumentException("default approval timeout " + defaultTimeout + " is not positive");
        }
        this.defaultTimeout = defaultTimeout;
        this.db = StateDatabase.open(file);
        this.audit = audit;
        this.policy = policy;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "crustyclaw-approval-timeouts");
            t.setDaemon(true);
            return t;
        });
        if (closeLeftovers) {
            for (ApprovalRequest r : select("WHERE status = 'pending' ORDER BY created, id", null)) {
                try {
                    if (clock.instant().isBefore(r.expires())) {
                        withdraw(r.id(), "the daemon restarted while it was pending: its requester is gone");
                    } else {
                        expire(r.id());
                    }
                } catch (RuntimeException e) {
                    // not audited, so not closed: it stays out of pending() and cannot be answered
                    System.getLogger(SqliteApprovals.class.getName()).log(System.Logger.Level.WARNING,
                            "approval " + r.id() + " left by the previous run could not be closed: " + e.getMessage());
                }
            }
        }
    }

    @Override
    public CompletionStage<Decision> request(ApprovalRequest request) {
        return request(request, defaultTimeout);
    }

    @Override
    public synchronized CompletionStage<Decision> request(ApprovalRequest request, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("approval timeout " + timeout + " is not positive");
        }
        Optional<ApprovalRequest> existing = find(request.id());
        if (existing.isPresent()) {
            Optional<Decision> answered = decision(request.id());
            if (answered.isPresent()) {
                return CompletableFuture.completedFuture(answered.get());
            }
            return waiting.computeIfAbsent(request.id(), id -> new CompletableFuture<>());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ApprovalRequest stored = new ApprovalRequest(request.id(), request.what(), request.why(), request.requestedBy(),
                request.rule(), request.detail(), now, now.plus(timeout));
        CompletableFuture<Decision> future = new CompletableFuture<>();
        try {
            audit.append("approval.request", stored.requestedBy(), Map.of("id", stored.id(), "what", stored.what(),
                    "why", stored.why(), "rule", stored.rule(), "expires", stored.expires().toString()));
            insert(stored);
        } catch (AuditException | SQLException e) {
            future.completeExceptionally(new IllegalStateException("approval request " + stored.id()
                    + " could not be filed: " + e.getMessage(), e));
            return future;
        }
        waiting.put(stored.id(), future);
        schedule(stored);
        return future;
    }

    private void insert(ApprovalRequest r) throws SQLException {
        try (PreparedStatement ins = db.prepareStatement("INSERT INTO approvals(id, what, why, requested_by, rule, detail, "
                + "created, expires, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')")) {
            ins.setString(1, r.id());
            ins.setString(2, r.what());
            ins.setString(3, r.why());
            ins.setString(4, r.requestedBy());
            ins.setString(5, r.rule());
            ins.setString(6, r.detail().orElse(null));
            ins.setString(7, r.created().toString());
            ins.setString(8, r.expires().toString());
            ins.executeUpdate();
        }
    }

    private void schedule(ApprovalRequest r) {
        long delay = Math.max(0, Duration.between(clock.instant(), r.expires()).toMillis());
        timer.schedule(() -> {
            try {
                expire(r.id());
            } catch (RuntimeException e) {
                // the database was busy or the audit log unavailable: try again shortly
                timer.schedule(() -> schedule(r), 1, TimeUnit.SECONDS);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Rejects a request that is still pending past its expiry; public so a sweep can be forced. */
    public synchronized void expire(String id) {
        Optional<ApprovalRequest> r = find(id);
        if (r.isEmpty() || decision(id).isPresent()) {
            return;
        }
        if (clock.instant().isBefore(r.get().expires())) {
            // the timer's clock ran a little ahead of the wall clock
            schedule(r.get());
            return;
        }
        Duration waited = Duration.between(r.get().created(), r.get().expires());
        record(id, false, TIMEOUT, "rejected automatically: no answer within " + waited.toMinutes() + " min "
                + waited.toSecondsPart() + " s");
    }

    @Override
    public synchronized List<ApprovalRequest> pending() {
        return select("WHERE status = 'pending' ORDER BY created, id", null).stream()
                .filter(r -> waiting.containsKey(r.id())).toList();
    }

    @Override
    public synchronized void withdraw(String id, String reason) {
        if (find(id).isEmpty() || decision(id).isPresent()) {
            return;
        }
        record(id, false, WITHDRAWN, reason);
    }

    @Override
    public synchronized Optional<ApprovalRequest> find(String id) {
        return select("WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public synchronized Optional<Decision> decision(String id) {
        try (PreparedStatement q = db.prepareStatement(
                "SELECT status, answered_by, reason, answered_at FROM approvals WHERE id = ? AND status <> 'pending'")) {
            q.setString(1, id);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Decision(id, rs.getString(1).equals("approved"), rs.getString(2),
                        rs.getString(3), Instant.parse(rs.getString(4))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read approval " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Decision answer(String id, boolean approve, Authenticated by, String reason) {
        ApprovalRequest r = find(id).orElseThrow(() -> new IllegalArgumentException("no approval request '" + id
                + "': expected an id from 'review list'"));
        decision(id).ifPresent(d -> {
            throw new IllegalArgumentException("approval request '" + id + "' was already "
                    + (d.approved() ? "approved" : "rejected") + " by " + d.by() + " at " + d.at());
        });
        if (by.name().equals(TIMEOUT) || by.name().equals(WITHDRAWN)) {
            throw new IllegalArgumentException("'" + by.name() + "' is reserved for automatic rejection");
        }
        if (!waiting.containsKey(id)) {
            throw new IllegalArgumentException("approval request '" + id + "' has nobody waiting for it: an answer would"
                    + " release nothing");
        }
        Authorization auth = by.authorize(policy, APPROVE_ACTION, "approval." + r.rule());
        if (!(auth instanceof Authorization.Granted)) {
            String verdict = auth instanceof Authorization.Refused f ? f.verdict().reason()
                    : ((Authorization.NeedsApproval) auth).verdict().reason();
            throw new SecurityException(by.name() + " (roles " + by.roles() + ") may not answer approval " + id
                    + ": policy does not allow " + APPROVE_ACTION + " on approval." + r.rule() + " (" + verdict + ")");
        }
        return record(id, approve, by.name(), reason);
    }

    private Decision record(String id, boolean approve, String by, String reason) {
        Decision d = new Decision(id, approve, by, reason, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        try {
            audit.append(by.equals(WITHDRAWN) ? "approval.withdrawn" : "approval.answer", by,
                    Map.of("id", id, "approved", String.valueOf(approve), "reason", reason));
            try (PreparedStatement up = db.prepareStatement("UPDATE approvals SET status = ?, answered_by = ?, reason = ?, "
                    + "answered_at = ? WHERE id = ? AND status = 'pending'")) {
                up.setString(1, approve ? "approved" : by.equals(WITHDRAWN) ? WITHDRAWN : "rejected");
                up.setString(2, by);
                up.setString(3, reason);
                up.setString(4, d.at().toString());
                up.setString(5, id);
                if (up.executeUpdate() != 1) {
                    throw new IllegalArgumentException("approval request '" + id + "' is no longer pending");
                }
            }
        } catch (AuditException | SQLException e) {
            throw new IllegalStateException("answer to approval " + id + " not recorded: " + e.getMessage(), e);
        }
        CompletableFuture<Decision> f = waiting.remove(id);
        if (f != null) {
            f.complete(d);
        }
        return d;
    }

    private List<ApprovalRequest> select(String where, String arg) {
        try (PreparedStatement q = db.prepareStatement(
                "SELECT id, what, why, requested_by, rule, detail, created, expires FROM approvals " + where)) {
            if (arg != null) {
                q.setString(1, arg);
            }
            List<ApprovalRequest> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new ApprovalRequest(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), Optional.ofNullable(rs.getString(6)), Instant.parse(rs.getString(7)),
                            Instant.parse(rs.getString(8))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read approvals: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        waiting.values().forEach(f -> f.completeExceptionally(
                new IllegalStateException("the approval service stopped; the request stays pending and can be re-attached")));
        try {
            db.close();
        } catch (SQLException ignored) {
            // stopping
        }
    }
}
