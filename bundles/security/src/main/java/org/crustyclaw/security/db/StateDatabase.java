package org.crustyclaw.security.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import org.osgi.framework.BundleContext;

/**
 * Connections to the shared state database {@code <state>/crustyclaw.db} (SQLite, WAL) and
 * this bundle's numbered migrations, recorded per owning bundle in {@code schema_migrations}.
 */
public final class StateDatabase {

    /** Framework property naming the state directory. */
    public static final String STATE_DIR = "crustyclaw.state.dir";
    public static final String FILE_NAME = "crustyclaw.db";
    public static final String OWNER = "org.crustyclaw.security";

    /** This bundle's schema, one statement list per version, never edited once released. */
    static final List<List<String>> MIGRATIONS = List.of(
            List.of("""
                    CREATE TABLE audit_events (
                      seq INTEGER PRIMARY KEY,
                      at TEXT NOT NULL,
                      type TEXT NOT NULL,
                      actor TEXT NOT NULL,
                      payload TEXT NOT NULL,
                      prev_hash TEXT NOT NULL,
                      hash TEXT NOT NULL)""",
                    "CREATE INDEX audit_events_hash ON audit_events(hash)",
                    "CREATE INDEX audit_events_at ON audit_events(at)"),
            List.of("""
                    CREATE TABLE approvals (
                      id TEXT PRIMARY KEY,
                      what TEXT NOT NULL,
                      why TEXT NOT NULL,
                      requested_by TEXT NOT NULL,
                      rule TEXT NOT NULL,
                      detail TEXT,
                      created TEXT NOT NULL,
                      expires TEXT NOT NULL,
                      status TEXT NOT NULL,
                      answered_by TEXT,
                      reason TEXT,
                      answered_at TEXT)""",
                    "CREATE INDEX approvals_status ON approvals(status)"));

    private StateDatabase() {}

    /** {@code <crustyclaw.state.dir>/crustyclaw.db}, or a clear error when the property is unset. */
    public static Path defaultFile(BundleContext context) {
        String dir = context.getProperty(STATE_DIR);
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException("framework property " + STATE_DIR
                    + " is not set: expected the state directory, e.g. -D" + STATE_DIR + "=/var/lib/crustyclaw");
        }
        return Path.of(dir).resolve(FILE_NAME);
    }

    /** Opens a connection in WAL mode with full sync and this bundle's schema in place. */
    public static Connection open(Path file) throws SQLException {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create the state directory for " + file + ": " + e.getMessage(), e);
        }
        try {
            // SQLite gives its -wal and -shm files the database file's mode: owner-only from the start
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // an existing database: the launcher checked its mode as the daemon started
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create the state database " + file + ": " + e.getMessage(), e);
        }
        SqliteNative.prepare(file.toAbsolutePath().getParent());
        Properties props = new Properties();
        props.setProperty("busy_timeout", "10000");
        // Loaded directly: DriverManager's service discovery does not see bundles.
        Connection c = new org.sqlite.JDBC().connect("jdbc:sqlite:" + file.toAbsolutePath(), props);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA busy_timeout=10000");
        }
        migrate(c);
        return c;
    }

    static void migrate(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                      bundle TEXT NOT NULL,
                      version INTEGER NOT NULL,
                      applied_at TEXT NOT NULL,
                      PRIMARY KEY (bundle, version))""");
            s.execute("BEGIN IMMEDIATE");
            try {
                int current = 0;
                try (PreparedStatement q = c.prepareStatement(
                        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE bundle = ?")) {
                    q.setString(1, OWNER);
                    try (ResultSet rs = q.executeQuery()) {
                        current = rs.next() ? rs.getInt(1) : 0;
                    }
                }
                for (int v = current + 1; v <= MIGRATIONS.size(); v++) {
                    for (String sql : MIGRATIONS.get(v - 1)) {
                        s.execute(sql);
                    }
                    try (PreparedStatement ins = c.prepareStatement(
                            "INSERT INTO schema_migrations(bundle, version, applied_at) VALUES (?, ?, ?)")) {
                        ins.setString(1, OWNER);
                        ins.setInt(2, v);
                        ins.setString(3, Instant.now().toString());
                        ins.executeUpdate();
                    }
                }
                s.execute("COMMIT");
            } catch (SQLException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
