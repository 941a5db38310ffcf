package org.crustyclaw.channel.signal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The envelopes taken from signal-cli-rest-api, stored before they are handled. In normal mode
 * a receive call removes messages from the server, so the daemon owns them from that moment:
 * each is committed here first (sender and timestamp are the key, so one delivered twice is
 * handled once), handled, then marked done. After a crash the ones not marked done are handled
 * at the next start.
 */
final class Inbox implements AutoCloseable {

    private final Connection db;

    Inbox(Path file) throws SQLException {
        Properties props = new Properties();
        props.setProperty("busy_timeout", "10000");
        // loaded directly: DriverManager's service discovery does not see bundles
        db = new org.sqlite.JDBC().connect("jdbc:sqlite:" + file.toAbsolutePath(), props);
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS signal_inbox (
                      account TEXT NOT NULL,
                      source TEXT NOT NULL,
                      ts INTEGER NOT NULL,
                      payload TEXT NOT NULL,
                      received TEXT NOT NULL,
                      done INTEGER NOT NULL DEFAULT 0,
                      PRIMARY KEY (account, source, ts))""");
            s.execute("CREATE INDEX IF NOT EXISTS signal_inbox_open ON signal_inbox(done, received)");
        }
    }

    /** One stored envelope: its key and the JSON it arrived as. */
    record Stored(String account, String source, long ts, String payload) {}

    /** Stores the envelopes of one receive batch in one transaction; answers those not seen before. */
    synchronized List<Stored> add(List<Stored> batch) throws SQLException {
        List<Stored> added = new ArrayList<>();
        boolean auto = db.getAutoCommit();
        db.setAutoCommit(false);
        try (PreparedStatement insert = db.prepareStatement("INSERT OR IGNORE INTO signal_inbox"
                + " (account, source, ts, payload, received) VALUES (?, ?, ?, ?, ?)")) {
            for (Stored s : batch) {
                insert.setString(1, s.account());
                insert.setString(2, s.source());
                insert.setLong(3, s.ts());
                insert.setString(4, s.payload());
                insert.setString(5, Instant.now().toString());
                if (insert.executeUpdate() == 1) {
                    added.add(s);
                }
            }
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(auto);
        }
        return added;
    }

    /** Marks handled envelopes, a batch in one transaction (one sync, not one per message). */
    synchronized void done(List<Stored> handled) throws SQLException {
        if (handled.isEmpty()) {
            return;
        }
        boolean auto = db.getAutoCommit();
        db.setAutoCommit(false);
        try (PreparedStatement p = db.prepareStatement(
                "UPDATE signal_inbox SET done = 1 WHERE account = ? AND source = ? AND ts = ?")) {
            for (Stored s : handled) {
                p.setString(1, s.account());
                p.setString(2, s.source());
                p.setLong(3, s.ts());
                p.addBatch();
            }
            p.executeBatch();
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(auto);
        }
    }

    /** What a crash left unhandled, oldest first. */
    synchronized List<Stored> open(String account) throws SQLException {
        List<Stored> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(
                "SELECT source, ts, payload FROM signal_inbox WHERE done = 0 AND account = ? ORDER BY received, ts")) {
            p.setString(1, account);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Stored(account, r.getString(1), r.getLong(2), r.getString(3)));
                }
            }
        }
        return out;
    }

    /** Forgets handled envelopes older than {@code before} (kept a while to recognise redeliveries). */
    synchronized int prune(Instant before) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("DELETE FROM signal_inbox WHERE done = 1 AND received < ?")) {
            p.setString(1, before.toString());
            return p.executeUpdate();
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        db.close();
    }
}
