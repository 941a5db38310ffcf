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
import java.util.Optional;
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
import org.crustyclaw.security.secret.OwnerOnlyFiles;

/**
 * The audit log in SQLite. One writer thread takes every queued append, writes the batch in
 * one transaction and commits it with a full sync (group commit), then releases the callers:
 * an event is durable before {@link #append} returns, and N concurrent callers share one sync.
 *
 * <p>Tamper evidence: the chain is keyed (HMAC-SHA256 under {@code audit.key} beside the
 * database, 32 bytes, owner-only, made on first use), and the head (sequence and hash) is
 * checkpointed in {@code audit.head} after every commit. Opening checks the checkpoint against
 * the database and the events after it; a break found then (truncated, emptied, forged,
 * rewritten) is recorded by a new segment, an {@code audit.segment} event that starts the
 * chain anew, and reported by {@link #chainProblem()} and by every {@link #verify()} after.
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
    private final HashChain chain;
    private final Path headFile;
    private volatile Optional<String> chainProblem = Optional.empty();

    /** The type of the event that starts a new segment after a break. */
    static final String SEGMENT = "audit.segment";

    /**
     * @param file    the SQLite database
     * @param scrub   applied to every payload value before it is stored (secrets, tokens)
     * @param timeout how long {@link #append} waits for durability before failing
     */
    public SqliteAuditLog(Path file, UnaryOperator<String> scrub, java.time.Duration timeout) throws SQLException {
        this.file = file;
        this.scrub = scrub;
        this.timeoutMillis = timeout.toMillis();
        this.chain = new HashChain(key(file.toAbsolutePath().resolveSibling("audit.key")));
        this.headFile = Checkpoint.fileFor(file);
        this.writer = StateDatabase.open(file);
        this.reader = StateDatabase.open(file);
        writer.setAutoCommit(false);
        this.insert = writer.prepareStatement(
                "INSERT INTO audit_events(seq, at, type, actor, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)");
        loadHead();
        checkAtStart();
        thread = new Thread(this::writeLoop, "crustyclaw-audit-writer");
        thread.setDaemon(true);
        thread.start();
    }

    public Path file() {
        return file;
    }

    /** The audit key: read (owner-only, 32 bytes), or made when there is none. */
    static byte[] key(Path keyFile) throws SQLException {
        try {
            if (!java.nio.file.Files.exists(keyFile)) {
                byte[] fresh = new byte[32];
                new java.security.SecureRandom().nextBytes(fresh);
                OwnerOnlyFiles.write(keyFile, fresh);
                return fresh;
            }
            byte[] key = OwnerOnlyFiles.read(keyFile);
            if (key.length != 32) {
                throw new SQLException("audit key " + keyFile + " is " + key.length + " bytes: expected 32");
            }
            return key;
        } catch (java.io.IOException | SecurityException e) {
            throw new SQLException("cannot use the audit key " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Why the chain cannot be trusted, when it cannot: a break found as this log opened (and
     * recorded by a new segment), or one an earlier start recorded. Empty when it is whole.
     */
    public Optional<String> chainProblem() {
        return chainProblem;
    }

    /** What a walk of the chain found. */
    private record Walk(Optional<VerifyResult.Broken> fresh, Optional<VerifyResult.Broken> recorded, long last, String head) {}

    /** The checkpoint against the database and the events from it on: quick, so every start can afford it. */
    private void checkAtStart() throws SQLException {
        Walk walk;
        try {
            Optional<Checkpoint> cp = Checkpoint.read(headFile, chain);
            walk = walk(cp, cp.map(Checkpoint::seq).orElse(0L));
        } catch (java.io.IOException | SecurityException e) {
            walk = new Walk(Optional.of(new VerifyResult.Broken(0, VerifyResult.Problem.CHANGED, e.getMessage())),
                    Optional.empty(), headSeq, headHash);
        }
        Optional<VerifyResult.Broken> recorded = walk.recorded().or(this::lastSegment);
        if (walk.fresh().isPresent()) {
            VerifyResult.Broken b = walk.fresh().get();
            long segment = Math.max(headSeq, checkpointSeq()) + 1;
            startSegment(segment, b);
            chainProblem = Optional.of("audit chain broken at event " + b.seq() + " (" + label(b.problem()) + "): "
                    + b.detail() + "; a new segment starts at event " + segment);
            System.getLogger(SqliteAuditLog.class.getName()).log(System.Logger.Level.ERROR, chainProblem.get());
        } else if (recorded.isPresent()) {
            chainProblem = Optional.of("audit chain was broken at event " + recorded.get().seq() + " ("
                    + label(recorded.get().problem()) + "): " + recorded.get().detail() + "; recorded by a new segment");
        }
    }

    private long checkpointSeq() {
        try {
            return Checkpoint.read(headFile, chain).map(Checkpoint::seq).orElse(0L);
        } catch (java.io.IOException | SecurityException e) {
            return 0;
        }
    }

    static String label(VerifyResult.Problem p) {
        return p.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Writes the event that starts the chain anew after {@code broken}, and checkpoints it. */
    private void startSegment(long seq, VerifyResult.Broken broken) throws SQLException {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Map<String, String> fields = new java.util.TreeMap<>(Map.of("broken_at", Long.toString(broken.seq()),
                "problem", label(broken.problem()), "detail", broken.detail()));
        String payload = Payloads.encode(fields);
        String hash = chain.hash(HashChain.GENESIS, at, SEGMENT, "audit", payload);
        insert.setLong(1, seq);
        insert.setString(2, at.toString());
        insert.setString(3, SEGMENT);
        insert.setString(4, "audit");
        insert.setString(5, payload);
        insert.setString(6, HashChain.GENESIS);
        insert.setString(7, hash);
        insert.executeUpdate();
        writer.commit();
        headSeq = seq;
        headHash = hash;
        checkpoint();
    }

    /** The newest segment start that carries the key's hash, as the break it recorded. */
    private Optional<VerifyResult.Broken> lastSegment() {
        for (AuditEvent e : query("SELECT * FROM audit_events WHERE type = '" + SEGMENT + "' AND seq > ? ORDER BY seq DESC LIMIT 1", 0L)) {
            String payload = Payloads.encode(new java.util.TreeMap<>(e.payload()));
            if (e.prevHash().equals(HashChain.GENESIS) && chain.hash(e.prevHash(), e.at(), e.type(), e.actor(), payload).equals(e.hash())) {
                return Optional.of(recordedBreak(e.payload()));
            }
        }
        return Optional.empty();
    }

    private static VerifyResult.Broken recordedBreak(Map<String, String> payload) {
        VerifyResult.Problem problem;
        try {
            problem = VerifyResult.Problem.valueOf(payload.getOrDefault("problem", "changed").toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problem = VerifyResult.Problem.CHANGED;
        }
        long seq;
        try {
            seq = Long.parseLong(payload.getOrDefault("broken_at", "0"));
        } catch (NumberFormatException e) {
            seq = 0;
        }
        return new VerifyResult.Broken(seq, problem, payload.getOrDefault("detail", ""));
    }

    private void checkpoint() {
        try {
            new Checkpoint(headSeq, headHash).write(headFile, chain);
        } catch (java.io.IOException | RuntimeException e) {
            // the events are committed; a checkpoint that lags is safe, it only proves less
            System.getLogger(SqliteAuditLog.class.getName()).log(System.Logger.Level.WARNING,
                    "audit checkpoint " + headFile + " not written: " + e.getMessage());
        }
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
                String hash = chain.hash(prev, p.at, p.type, p.actor, p.payload);
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
            checkpoint();
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

    /** Walks the whole chain with the key, then holds it against the checkpoint outside the database. */
    @Override
    public synchronized VerifyResult verify() {
        Walk walk;
        try {
            walk = walk(Checkpoint.read(headFile, chain), 0);
        } catch (java.io.IOException | SecurityException e) {
            return new VerifyResult.Broken(0, VerifyResult.Problem.CHANGED, e.getMessage());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the audit log " + file + ": " + e.getMessage(), e);
        }
        if (walk.fresh().isPresent()) {
            return walk.fresh().get();
        }
        if (walk.recorded().isPresent()) {
            VerifyResult.Broken r = walk.recorded().get();
            return new VerifyResult.Broken(r.seq(), r.problem(), r.detail() + " (found and recorded by a new segment when"
                    + " the daemon started; the events before it are not trusted, the events since verify, up to event "
                    + walk.last() + ")");
        }
        return new VerifyResult.Intact(walk.last(), walk.head());
    }

    /**
     * Walks the events from {@code from} (0: all of them) and checks each one's keyed hash, the
     * links between them and the checkpoint. A segment start (an {@code audit.segment} event
     * with the key's hash) records that the chain before it is broken: breaks there count as
     * recorded, not fresh, and only the events since are held to the chain.
     */
    private synchronized Walk walk(Optional<Checkpoint> cp, long from) throws SQLException {
        Optional<VerifyResult.Broken> fresh = Optional.empty();
        Optional<VerifyResult.Broken> recorded = Optional.empty();
        long last = 0;
        String head = HashChain.GENESIS;
        long expected = 1;
        String prev = HashChain.GENESIS;
        boolean first = true;
        boolean checkpointSeen = cp.isEmpty() || cp.get().seq() == 0;
        try (PreparedStatement q = reader.prepareStatement("SELECT seq, at, type, actor, payload, prev_hash, hash FROM audit_events"
                + " WHERE seq >= ? ORDER BY seq")) {
            q.setLong(1, from);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    String type = rs.getString(3);
                    String recordedPrev = rs.getString(6);
                    String recordedHash = rs.getString(7);
                    String actual = chain.hash(recordedPrev, Instant.parse(rs.getString(2)), type, rs.getString(4),
                            rs.getString(5));
                    Optional<VerifyResult.Broken> here = Optional.empty();
                    if (!actual.equals(recordedHash)) {
                        here = Optional.of(new VerifyResult.Broken(seq, VerifyResult.Problem.CHANGED, "event " + seq
                                + " was changed, or written without the audit key (forged): it does not carry the key's hash"));
                    } else if (type.equals(SEGMENT) && recordedPrev.equals(HashChain.GENESIS)) {
                        // the segment declares everything before it untrusted: whatever broke there is on record
                        fresh = Optional.empty();
                        recorded = Optional.of(recordedBreak(Payloads.decode(rs.getString(5))));
                    } else if (first && from > 0) {
                        // the walk starts at the checkpoint's event; its link backwards is the full verify's to check
                    } else if (!recordedPrev.equals(prev)) {
                        long named = seqOfHash(recordedPrev);
                        here = Optional.of(named > 0
                                ? new VerifyResult.Broken(seq, VerifyResult.Problem.REORDERED, "event " + seq
                                        + " was moved: it follows event " + named + " in the chain, but sits after event " + (seq - 1))
                                : new VerifyResult.Broken(seq, VerifyResult.Problem.DELETED, "an event before " + seq
                                        + " was deleted: event " + seq + " names a previous event (" + recordedPrev.substring(0, 12)
                                        + "...) that is no longer in the log"));
                    } else if (seq != expected) {
                        here = Optional.of(new VerifyResult.Broken(expected, VerifyResult.Problem.DELETED, "event " + expected
                                + " is missing: the log jumps from " + (expected - 1) + " to " + seq));
                    }
                    if (cp.isPresent() && seq == cp.get().seq()) {
                        checkpointSeen = true;
                        if (here.isEmpty() && !recordedHash.equals(cp.get().hash())) {
                            here = Optional.of(new VerifyResult.Broken(seq, VerifyResult.Problem.CHANGED, "event " + seq
                                    + " is not the one the checkpoint " + headFile + " recorded: the chain was rewritten"));
                        }
                    }
                    if (fresh.isEmpty()) {
                        fresh = here;
                    }
                    prev = recordedHash;
                    expected = seq + 1;
                    last = seq;
                    head = recordedHash;
                    first = false;
                }
            }
        }
        if (fresh.isEmpty() && cp.isPresent() && cp.get().seq() > last) {
            last = maxSeq();
            fresh = Optional.of(new VerifyResult.Broken(last + 1, VerifyResult.Problem.TRUNCATED, last == 0
                    ? "the log is empty, but the checkpoint " + headFile + " records " + cp.get().seq() + " events: it was emptied"
                    : "the log ends at event " + last + ", but the checkpoint " + headFile + " records event " + cp.get().seq()
                            + ": events were removed from its end"));
        } else if (fresh.isEmpty() && !checkpointSeen) {
            fresh = Optional.of(new VerifyResult.Broken(cp.get().seq(), VerifyResult.Problem.DELETED, "event " + cp.get().seq()
                    + ", the head the checkpoint " + headFile + " recorded, is missing"));
        } else if (fresh.isEmpty() && cp.isEmpty() && last > 0) {
            fresh = Optional.of(new VerifyResult.Broken(last, VerifyResult.Problem.TRUNCATED, "the log holds events but its"
                    + " checkpoint " + headFile + " is missing: removed events could not be told apart"));
        }
        return new Walk(fresh, recorded, last, head);
    }

    private long maxSeq() throws SQLException {
        try (Statement q = reader.createStatement(); ResultSet rs = q.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM audit_events")) {
            return rs.next() ? rs.getLong(1) : 0;
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
