package org.crustyclaw.agent.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.crustyclaw.api.agent.Task;
import org.crustyclaw.api.agent.TaskEvent;
import org.crustyclaw.api.agent.TaskState;
import org.crustyclaw.api.model.ChatMessage;
import org.crustyclaw.api.model.ToolUse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Tasks, their conversations, tool calls and events in the state database. Every write is
 * committed before it returns, so it survives the daemon being killed. The two writes a
 * resume depends on, a tool call starting and its result, are also synced to disk
 * ({@code synchronous=FULL}), which syncs every earlier write with them: after a power loss
 * a finished call is never run again and a started one is never run twice; events and
 * counters written since the last such sync may be lost. A tool call's result is here before
 * the model sees it.
 */
public final class TaskStore implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A tool call as recorded: {@code started} until its result is in, then {@code done}. */
    public record CallRecord(String callId, String tool, String arguments, String status, Optional<String> result,
            boolean error) {
        public boolean done() {
            return status.equals("done");
        }
    }

    /** What a task row holds beyond {@link Task}: who asked, with which roles, where. */
    public record Origin(String requester, Set<String> roles, String channel, Optional<Path> workspace) {
        public Origin {
            roles = Set.copyOf(roles);
        }
    }

    private final Connection db;
    private final Clock clock;

    public TaskStore(Path file, Clock clock) throws SQLException {
        this.db = AgentDatabase.open(file);
        this.clock = clock;
    }

    public synchronized Task create(String id, String skill, Origin origin, String input) {
        Instant now = clock.instant();
        update("INSERT INTO agent_tasks(id, skill, requester, requester_roles, requester_channel, input, workspace, state,"
                + " iterations, input_tokens, output_tokens, cost_micro_usd, created, updated)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?, ?)", id, skill, origin.requester(),
                json(List.copyOf(origin.roles())), origin.channel(), input,
                origin.workspace().map(Path::toString).orElse(null), TaskState.QUEUED.name(), now.toString(),
                now.toString());
        return find(id).orElseThrow();
    }

    public synchronized Optional<Task> find(String id) {
        List<Task> tasks = tasks("SELECT * FROM agent_tasks WHERE id = ?", id);
        return tasks.isEmpty() ? Optional.empty() : Optional.of(tasks.get(0));
    }

    public synchronized List<Task> list(int limit) {
        return tasks("SELECT * FROM agent_tasks ORDER BY created DESC, id DESC LIMIT ?", limit);
    }

    public synchronized List<Task> inStates(Set<TaskState> states) {
        List<Task> out = new ArrayList<>();
        for (TaskState s : states) {
            out.addAll(tasks("SELECT * FROM agent_tasks WHERE state = ? ORDER BY created", s.name()));
        }
        return out;
    }

    public synchronized Origin origin(String id) {
        try (PreparedStatement q = db.prepareStatement(
                "SELECT requester, requester_roles, requester_channel, workspace FROM agent_tasks WHERE id = ?")) {
            q.setString(1, id);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("no task '" + id + "'");
                }
                List<String> roles = JSON.readValue(rs.getString(2), new TypeReference<List<String>>() {});
                String ws = rs.getString(4);
                return new Origin(rs.getString(1), Set.copyOf(roles), rs.getString(3),
                        ws == null ? Optional.empty() : Optional.of(Path.of(ws)));
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new StoreException("cannot read task " + id, e);
        }
    }

    public synchronized void setWorkspace(String id, Path workspace) {
        update("UPDATE agent_tasks SET workspace = ?, updated = ? WHERE id = ?", workspace.toString(),
                clock.instant().toString(), id);
    }

    public synchronized void state(String id, TaskState state, Optional<String> stopReason, Optional<String> output) {
        update("UPDATE agent_tasks SET state = ?, stop_reason = ?, output = COALESCE(?, output), updated = ? WHERE id = ?",
                state.name(), stopReason.orElse(null), output.orElse(null), clock.instant().toString(), id);
    }

    /** Adds one model turn's counts. */
    public synchronized void count(String id, long inputTokens, long outputTokens, long costMicroUsd) {
        update("UPDATE agent_tasks SET iterations = iterations + 1, input_tokens = input_tokens + ?,"
                + " output_tokens = output_tokens + ?, cost_micro_usd = cost_micro_usd + ?, updated = ? WHERE id = ?",
                inputTokens, outputTokens, costMicroUsd, clock.instant().toString(), id);
    }

    public synchronized void appendMessage(String id, ChatMessage m) {
        update("INSERT INTO agent_messages(task_id, idx, role, content, tool_calls, tool_call_id, untrusted)"
                + " VALUES (?, (SELECT COALESCE(MAX(idx), -1) + 1 FROM agent_messages WHERE task_id = ?), ?, ?, ?, ?, ?)",
                id, id, m.role().name(), m.content(), json(m.toolCalls().stream()
                        .map(u -> List.of(u.id(), u.name(), u.argumentsJson())).toList()),
                m.toolCallId().orElse(null), m.untrusted() ? 1 : 0);
    }

    public synchronized List<ChatMessage> messages(String id) {
        List<ChatMessage> out = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement(
                "SELECT role, content, tool_calls, tool_call_id, untrusted FROM agent_messages WHERE task_id = ? ORDER BY idx")) {
            q.setString(1, id);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    List<List<String>> calls = JSON.readValue(rs.getString(3), new TypeReference<List<List<String>>>() {});
                    out.add(new ChatMessage(ChatMessage.Role.valueOf(rs.getString(1)), rs.getString(2),
                            calls.stream().map(c -> new ToolUse(c.get(0), c.get(1), c.get(2))).toList(),
                            Optional.ofNullable(rs.getString(4)), rs.getInt(5) != 0));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new StoreException("cannot read the conversation of task " + id, e);
        }
        return out;
    }

    /** Records that a call is about to run; returns false when it was recorded before (a resumed task). */
    public synchronized boolean startCall(String id, String callId, String tool, String arguments) {
        if (call(id, callId).isPresent()) {
            return false;
        }
        durably("INSERT INTO agent_tool_calls(task_id, call_id, tool, arguments, status, error, started)"
                + " VALUES (?, ?, ?, ?, 'started', 0, ?)", id, callId, tool, arguments, clock.instant().toString());
        return true;
    }

    public synchronized void finishCall(String id, String callId, String result, boolean error) {
        durably("UPDATE agent_tool_calls SET status = 'done', result = ?, error = ?, finished = ? WHERE task_id = ? AND call_id = ?",
                result, error ? 1 : 0, clock.instant().toString(), id, callId);
    }

    public synchronized Optional<CallRecord> call(String id, String callId) {
        List<CallRecord> calls = calls("SELECT call_id, tool, arguments, status, result, error FROM agent_tool_calls"
                + " WHERE task_id = ? AND call_id = ?", id, callId);
        return calls.isEmpty() ? Optional.empty() : Optional.of(calls.get(0));
    }

    public synchronized List<CallRecord> calls(String id) {
        return calls("SELECT call_id, tool, arguments, status, result, error FROM agent_tool_calls WHERE task_id = ?"
                + " ORDER BY started, rowid", id);
    }

    public synchronized TaskEvent appendEvent(String id, TaskEvent.Kind kind, String text, Map<String, String> detail) {
        Instant now = clock.instant();
        long seq;
        try (PreparedStatement q = db.prepareStatement("SELECT COALESCE(MAX(seq), 0) + 1 FROM agent_events WHERE task_id = ?")) {
            q.setString(1, id);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot number an event of task " + id, e);
        }
        update("INSERT INTO agent_events(task_id, seq, at, kind, text, detail) VALUES (?, ?, ?, ?, ?, ?)", id, seq,
                now.toString(), kind.name(), text, json(detail));
        return new TaskEvent(seq, id, now, kind, text, detail);
    }

    public synchronized List<TaskEvent> events(String id, long afterSeq) {
        List<TaskEvent> out = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement(
                "SELECT seq, at, kind, text, detail FROM agent_events WHERE task_id = ? AND seq > ? ORDER BY seq")) {
            q.setString(1, id);
            q.setLong(2, afterSeq);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new TaskEvent(rs.getLong(1), id, Instant.parse(rs.getString(2)),
                            TaskEvent.Kind.valueOf(rs.getString(3)), rs.getString(4),
                            JSON.readValue(rs.getString(5), new TypeReference<Map<String, String>>() {})));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new StoreException("cannot read the events of task " + id, e);
        }
        return out;
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // closing: nothing left to save
        }
    }

    private List<Task> tasks(String sql, Object... args) {
        List<Task> out = new ArrayList<>();
        try (PreparedStatement q = prepare(sql, args); ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.add(new Task(rs.getString("id"), rs.getString("skill"), rs.getString("requester"),
                        rs.getString("input"), TaskState.valueOf(rs.getString("state")),
                        Optional.ofNullable(rs.getString("stop_reason")), Optional.ofNullable(rs.getString("output")),
                        rs.getInt("iterations"), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                        rs.getLong("cost_micro_usd"), Instant.parse(rs.getString("created")),
                        Instant.parse(rs.getString("updated"))));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read tasks", e);
        }
        return out;
    }

    private List<CallRecord> calls(String sql, Object... args) {
        List<CallRecord> out = new ArrayList<>();
        try (PreparedStatement q = prepare(sql, args); ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.add(new CallRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        Optional.ofNullable(rs.getString(5)), rs.getInt(6) != 0));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read tool calls", e);
        }
        return out;
    }

    /** A write synced to disk, with every write before it. */
    private void durably(String sql, Object... args) {
        try (java.sql.Statement s = db.createStatement()) {
            s.execute("PRAGMA synchronous=FULL");
            try {
                update(sql, args);
            } finally {
                s.execute("PRAGMA synchronous=NORMAL");
            }
        } catch (SQLException e) {
            throw new StoreException("cannot write to the state database: " + e.getMessage(), e);
        }
    }

    private void update(String sql, Object... args) {
        try (PreparedStatement s = prepare(sql, args)) {
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot write to the state database: " + e.getMessage(), e);
        }
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement s = db.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
        return s;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot store " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** The state database refused a read or write: the task cannot go on safely. */
    public static final class StoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
