package org.crustyclaw.security.audit;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import org.crustyclaw.api.audit.AuditEvent;
import org.crustyclaw.api.audit.AuditException;
import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.audit.VerifyResult;
import org.crustyclaw.security.db.StateDatabase;

/**
 * The audit log in SQLite. One writer thread takes every queued append, writes the batch in
 * one transaction and commits it with a full sync (group commit), then releases the callers:
 * an event is durable before {@link #append} returns, and N concurrent callers share one sync.
 */
public final class SqliteAuditLog implements AuditLog, AutoCloseable {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    private static final int MAX_BATCH = 1024;

    private record Pending(Instant at, String type, String actor, String payload, CompletableFuture<AuditEvent> done) {}

    private final Path file;
    private final UnaryOperator<String> scrub;
    private final long timeoutMillis;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(65_536);
    private final Connection writer;
    private final PreparedStatement insert;
    private final Connection reader;
    private final Thread thread;
    private volatile boolean closed;
    private long headSeq;
    private String headHash;

    /**
     * @param file    the SQLite database
     * @param scrub   applied to every payload value before it is stored (secrets, tokens)
     * @param timeout how long {@link #append} waits for durability before failing
     */
    public SqliteAuditLog(Path file, UnaryOperator<String> scrub, java.time.Duration timeout) throws SQLException {
        this.file = file;
        this.scrub = scrub;
        this.timeoutMillis = timeout.toMillis();
        this.writer = StateDatabase.open(file);
        this.reader = StateDatabase.open(file);
        writer.setAutoCommit(false);
        this.insert = writer.prepareStatement(
                "INSERT INTO audit_events(seq, at, type, actor, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)");
        loadHead();
        thread = new Thread(this::writeLoop, "crustyclaw-audit-writer");
        thread.setDaemon(true);
        thread.start();
    }

    public Path file() {
        return file;
    }

    @Override
    public AuditEvent append(String type, String actor, Map<String, String> payload) throws AuditException {
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("audit event type '" + type + "' is not dotted lower case like 'policy.decision'");
        }
        if (closed) {
            throw new AuditException("audit log " + file + " is closed", null);
        }
        Map<String, String> clean = new java.util.TreeMap<>();
        payload.forEach((k, v) -> clean.put(k, scrub.apply(v)));
        Pending p = new Pending(Instant.now().truncatedTo(ChronoUnit.MICROS), type, scrub.apply(actor),
                Payloads.encode(clean), new CompletableFuture<>());
        try {
            if (!queue.offer(p, timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new AuditException("audit log " + file + " is saturated: event not recorded within " + timeoutMillis + "ms", null);
            }
            return p.done.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditException("interrupted while recording " + type, e);
        } catch (ExecutionException e) {
            throw new AuditException("could not record " + type + " in " + file + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new AuditException("audit event " + type + " not durable within " + timeoutMillis + "ms", e);
        }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                writeBatch(batch);
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void writeBatch(List<Pending> batch) {
        List<AuditEvent> written = new ArrayList<>(batch.size());
        long seq = headSeq;
        String prev = headHash;
        try {
            for (Pending p : batch) {
                seq++;
                String hash = HashChain.hash(prev, p.at, p.type, p.actor, p.payload);
                insert.setLong(1, seq);
                insert.setString(2, p.at.toString());
                insert.setString(3, p.type);
                insert.setString(4, p.actor);
                insert.setString(5, p.payload);
                insert.setString(6, prev);
                insert.setString(7, hash);
                insert.addBatch();
                written.add(new AuditEvent(seq, p.at, p.type, p.actor, Payloads.decode(p.payload), prev, hash));
                prev = hash;
            }
            insert.executeBatch();
            writer.commit();
            headSeq = seq;
            headHash = prev;
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).done.complete(written.get(i));
            }
        } catch (SQLException | RuntimeException e) {
            try {
                insert.clearBatch();
                writer.rollback();
                loadHead();
            } catch (SQLException ignored) {
                // the head is re-read on the next batch attempt
            }
            batch.forEach(p -> p.done.completeExceptionally(e));
        }
    }

    private void loadHead() throws SQLException {
        try (Statement s = writer.createStatement();
                ResultSet rs = s.executeQuery("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")) {
            if (rs.next()) {
                headSeq = rs.getLong(1);
                headHash = rs.getString(2);
            } else {
                headSeq = 0;
                headHash = HashChain.GENESIS;
            }
        }
        if (!writer.getAutoCommit()) {
            writer.commit();
        }
    }

    @Override
    public List<AuditEvent> tail(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("tail count " + n + " is negative: expected 0 or more");
        }
        List<AuditEvent> newestFirst = query("SELECT * FROM audit_events ORDER BY seq DESC LIMIT ?", n);
        List<AuditEvent> out = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(out);
        return out;
    }

    @Override
    public List<AuditEvent> after(long afterSeq, int limit) {
        return query("SELECT * FROM audit_events WHERE seq > ? ORDER BY seq LIMIT " + Math.max(0, limit), afterSeq);
    }

    @Override
    public List<AuditEvent> since(Instant since) {
        return query("SELECT * FROM audit_events WHERE at >= ? ORDER BY seq", since.truncatedTo(ChronoUnit.MICROS).toString());
    }

    private synchronized List<AuditEvent> query(String sql, Object arg) {
        try (PreparedStatement q = reader.prepareStatement(sql)) {
            q.setObject(1, arg);
            List<AuditEvent> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditEvent(rs.getLong("seq"), Instant.parse(rs.getString("at")), rs.getString("type"),
                            rs.getString("actor"), Payloads.decode(rs.getString("payload")), rs.getString("prev_hash"),
                            rs.getString("hash")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized VerifyResult verify() {
        try (Statement s = reader.createStatement();
                ResultSet rs = s.executeQuery("SELECT seq, at, type, actor, payload, prev_hash, hash FROM audit_events ORDER BY seq")) {
            long expected = 1;
            String prev = HashChain.GENESIS;
            while (rs.next()) {
                long seq = rs.getLong(1);
                String recordedPrev = rs.getString(6);
                String recorded = rs.getString(7);
                String actual = HashChain.hash(recordedPrev, Instant.parse(rs.getString(2)), rs.getString(3),
                        rs.getString(4), rs.getString(5));
                if (!actual.equals(recorded)) {
                    return new VerifyResult.Broken(seq, VerifyResult.Problem.CHANGED, "event " + seq
                            + " was changed: its content hashes to " + actual + ", the chain recorded " + recorded);
                }
                if (!recordedPrev.equals(prev)) {
                    long named = seqOfHash(recordedPrev);
                    if (named > 0) {
                        return new VerifyResult.Broken(seq, VerifyResult.Problem.REORDERED, "event " + seq
                                + " was moved: it follows event " + named + " in the chain, but sits after event " + (seq - 1));
                    }
                    return new VerifyResult.Broken(seq, VerifyResult.Problem.DELETED, "an event before " + seq
                            + " was deleted: event " + seq + " names a previous event (" + recordedPrev.substring(0, 12)
                            + "...) that is no longer in the log");
                }
                if (seq != expected) {
                    return new VerifyResult.Broken(expected, VerifyResult.Problem.DELETED, "event " + expected
                            + " is missing: the log jumps from " + (expected - 1) + " to " + seq);
                }
                prev = recorded;
                expected = seq + 1;
            }
            return new VerifyResult.Intact(expected - 1, prev);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    private long seqOfHash(String hash) throws SQLException {
        try (PreparedStatement q = reader.prepareStatement("SELECT seq FROM audit_events WHERE hash = ? LIMIT 1")) {
            q.setString(1, hash);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            insert.close();
            writer.close();
            reader.close();
        } catch (SQLException ignored) {
            // closing: nothing left to protect
        }
    }
}
