package org.crustyclaw.agent.store;

import java.io.IOException;
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

/**
 * The agent's tables in the shared state database {@code <state>/crustyclaw.db} (SQLite, WAL),
 * with this bundle's numbered migrations recorded in {@code schema_migrations}
 * under its own name beside the security bundle's.
 */
final class AgentDatabase {

    static final String OWNER = "org.crustyclaw.agent";

    /** One statement list per version, never edited once released. */
    static final List<List<String>> MIGRATIONS = List.of(List.of("""
            CREATE TABLE agent_tasks (
              id TEXT PRIMARY KEY,
              skill TEXT NOT NULL,
              requester TEXT NOT NULL,
              requester_roles TEXT NOT NULL,
              requester_channel TEXT NOT NULL,
              input TEXT NOT NULL,
              workspace TEXT,
              state TEXT NOT NULL,
              stop_reason TEXT,
              output TEXT,
              iterations INTEGER NOT NULL,
              input_tokens INTEGER NOT NULL,
              output_tokens INTEGER NOT NULL,
              cost_micro_usd INTEGER NOT NULL,
              created TEXT NOT NULL,
              updated TEXT NOT NULL)""",
            "CREATE INDEX agent_tasks_state ON agent_tasks(state)",
            """
            CREATE TABLE agent_messages (
              task_id TEXT NOT NULL,
              idx INTEGER NOT NULL,
              role TEXT NOT NULL,
              content TEXT NOT NULL,
              tool_calls TEXT NOT NULL,
              tool_call_id TEXT,
              untrusted INTEGER NOT NULL,
              PRIMARY KEY (task_id, idx))""",
            """
            CREATE TABLE agent_tool_calls (
              task_id TEXT NOT NULL,
              call_id TEXT NOT NULL,
              tool TEXT NOT NULL,
              arguments TEXT NOT NULL,
              status TEXT NOT NULL,
              result TEXT,
              error INTEGER NOT NULL,
              started TEXT NOT NULL,
              finished TEXT,
              PRIMARY KEY (task_id, call_id))""",
            """
            CREATE TABLE agent_events (
              task_id TEXT NOT NULL,
              seq INTEGER NOT NULL,
              at TEXT NOT NULL,
              kind TEXT NOT NULL,
              text TEXT NOT NULL,
              detail TEXT NOT NULL,
              PRIMARY KEY (task_id, seq))"""));

    private AgentDatabase() {}

    static Connection open(Path file) throws SQLException {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new SQLException("cannot create the state directory for " + file + ": " + e.getMessage(), e);
        }
        Properties props = new Properties();
        props.setProperty("busy_timeout", "10000");
        // Loaded directly: DriverManager's service discovery does not see bundles.
        Connection c = new org.sqlite.JDBC().connect("jdbc:sqlite:" + file.toAbsolutePath(), props);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            // NORMAL in WAL mode: a commit survives the daemon being killed (kill -9), not a power
            // loss; TaskStore raises it to FULL for the commits a resume depends on (see there)
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA busy_timeout=10000");
        }
        migrate(c);
        return c;
    }

    private static void migrate(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                      bundle TEXT NOT NULL,
                      version INTEGER NOT NULL,
                      applied_at TEXT NOT NULL,
                      PRIMARY KEY (bundle, version))""");
            s.execute("BEGIN IMMEDIATE");
            try {
                int current;
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
        }
    }
}
