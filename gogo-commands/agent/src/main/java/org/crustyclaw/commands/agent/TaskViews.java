package org.crustyclaw.commands.agent;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.crustyclaw.api.agent.SkillManifest;
import org.crustyclaw.api.agent.Task;
import org.crustyclaw.api.agent.TaskEvent;
import org.crustyclaw.api.agent.TaskState;
import org.crustyclaw.api.runtime.CommandFailedException;
import org.crustyclaw.commands.format.Output;

/** The rows and lines the agent commands print, in one place. */
public final class TaskViews {

    private TaskViews() {}

    public record TaskRow(String id, String skill, String state, String requester, int iterations, String cost, Instant created,
            String stopReason) {
        static TaskRow of(Task t) {
            return new TaskRow(t.id(), t.skill(), t.state().label(), t.requester(), t.iterations(), usd(t.costMicroUsd()),
                    t.created(), t.stopReason().orElse(""));
        }
    }

    public record TaskDetail(String id, String skill, String state, String requester, String input, Optional<String> stopReason,
            Optional<String> output, int iterations, long inputTokens, long outputTokens, String cost, Instant created,
            Instant updated) {
        static TaskDetail of(Task t) {
            return new TaskDetail(t.id(), t.skill(), t.state().label(), t.requester(), t.input(), t.stopReason(),
                    t.output(), t.iterations(), t.inputTokens(), t.outputTokens(), usd(t.costMicroUsd()), t.created(),
                    t.updated());
        }
    }

    public record SkillRow(String name, String version, String tier, String model, String tools, String description) {
        static SkillRow of(SkillManifest m) {
            return new SkillRow(m.name(), m.version(), m.tier().label(), m.model().provider() + "/" + m.model().model(),
                    String.join(",", m.tools()), m.description());
        }
    }

    public record SkillDetail(String name, String description, String version, String tier, String provider, String model,
            List<String> tools, List<String> egressHosts, List<String> secrets, String memory, double cpus,
            int processes, String timeout, String disk, int iterations, long tokens, String wallClock, String costBudget,
            int maxTokensPerTurn, String review, List<String> gates, String source, String systemPrompt) {
        static SkillDetail of(SkillManifest m) {
            return new SkillDetail(m.name(), m.description(), m.version(), m.tier().label(), m.model().provider(),
                    m.model().model(), m.tools(), m.egressHosts(), m.secrets(), (m.limits().memoryBytes() >> 20) + "m",
                    m.limits().cpus(), m.limits().maxProcesses(), Output.duration(m.limits().timeout()),
                    (m.limits().diskBytes() >> 20) + "m", m.budgets().iterations(), m.budgets().tokens(),
                    Output.duration(m.budgets().wallClock()), m.budgets().costMicroUsd() == 0 ? "none"
                            : usd(m.budgets().costMicroUsd()), m.budgets().maxTokensPerTurn(), m.review().mode(),
                    m.review().gates(), m.source(), m.systemPrompt());
        }
    }

    public record EventRow(long seq, String taskId, Instant at, String kind, String text, Map<String, String> detail) {
        static EventRow of(TaskEvent e) {
            return new EventRow(e.seq(), e.taskId(), e.at(), e.kind().name().toLowerCase(java.util.Locale.ROOT), e.text(),
                    e.detail());
        }
    }

    static String usd(long micro) {
        return String.format(java.util.Locale.ROOT, "$%.4f", micro / 1e6);
    }

    /** Prints one event as a follower reads it: model text as it streams, each step on a line of its own. */
    static void print(TaskEvent e, boolean json, PrintStream out, boolean[] midLine) {
        if (json) {
            out.println(Output.json(EventRow.of(e)).replaceAll("\\s*\\n\\s*", " "));
            out.flush();
            return;
        }
        if (e.kind() == TaskEvent.Kind.MODEL_TEXT) {
            out.print(e.text());
            midLine[0] = !e.text().endsWith("\n");
            out.flush();
            return;
        }
        if (midLine[0]) {
            out.println();
            midLine[0] = false;
        }
        String line = switch (e.kind()) {
            case TOOL_CALL -> "-> " + e.text();
            case TOOL_RESULT -> "<- " + e.detail().getOrDefault("tool", "") + (Boolean.parseBoolean(e.detail().get("error"))
                    ? " (error): " : ": ") + firstLines(e.text(), 12);
            case REFUSED -> "!! refused " + e.detail().getOrDefault("tool", "") + ": " + e.text();
            case APPROVAL -> "?? " + e.text();
            case STATE -> "[" + e.text() + "]";
            default -> ".. " + e.text();
        };
        out.println(line);
        out.flush();
    }

    private static String firstLines(String text, int n) {
        String[] lines = text.split("\n", -1);
        if (lines.length <= n) {
            return text.contains("\n") ? "\n" + indent(text) : text;
        }
        return "\n" + indent(String.join("\n", java.util.Arrays.copyOf(lines, n))) + "\n   ... (" + (lines.length - n)
                + " more lines; 'crustyclaw tasks logs --json' has all)";
    }

    private static String indent(String text) {
        return "   " + text.replace("\n", "\n   ");
    }

    /** The outcome line, and a failing exit for anything but success. */
    static void outcome(Task t, boolean json, PrintStream out, PrintStream err) {
        if (json) {
            out.println(Output.json(TaskDetail.of(t)));
        } else {
            err.println("task " + t.id() + " " + t.state().label() + ": " + t.stopReason().orElse("") + " ("
                    + t.iterations() + " turns, " + (t.inputTokens() + t.outputTokens()) + " tokens, "
                    + usd(t.costMicroUsd()) + ")");
        }
        out.flush();
        err.flush();
        if (t.state() != TaskState.SUCCEEDED) {
            throw new CommandFailedException(1, "task " + t.id() + " ended " + t.state().label() + ": "
                    + t.stopReason().orElse("(no reason recorded)") + (t.state() == TaskState.SUCCEEDED ? ""
                            : "\n'crustyclaw tasks resume " + t.id() + "' continues it"));
        }
    }
}
