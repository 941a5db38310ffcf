package org.crustyclaw.router;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.crustyclaw.api.agent.Task;
import org.crustyclaw.api.agent.TaskRequest;
import org.crustyclaw.api.agent.Tasks;
import org.crustyclaw.api.channel.Channel;
import org.crustyclaw.api.policy.Principal;
import org.crustyclaw.api.review.ApprovalRequest;
import org.crustyclaw.api.review.Approvals;
import org.crustyclaw.api.review.Decision;
import org.crustyclaw.api.runtime.Daemon;
import org.crustyclaw.api.sandbox.BackendStatus;
import org.crustyclaw.api.sandbox.Sandboxes;

/** What each chat command does, through the same services the CLI and the Gogo shell use. */
final class Commands {

    /** A reply longer than this would flood a phone; the rest is left for the CLI. */
    static final int MAX_LIST = 10;
    static final String HELP = """
            Commands:
              status               the daemon, its sandboxes and pending approvals
              approvals            what waits for an answer
              approve ID [reason]  lets the action go ahead
              reject ID [reason]   refuses it
              run SKILL TEXT       starts a skill; its progress and answer come here
              tasks                the latest tasks and their state
              help                 this list""";

    private final Approvals approvals;
    private final Supplier<Optional<Sandboxes>> sandboxes;
    private final Supplier<Optional<Daemon>> daemon;
    private final Supplier<Map<String, Channel>> channels;
    private final Supplier<Optional<Tasks>> tasks;

    Commands(Approvals approvals, Supplier<Optional<Sandboxes>> sandboxes, Supplier<Optional<Daemon>> daemon,
            Supplier<Map<String, Channel>> channels, Supplier<Optional<Tasks>> tasks) {
        this.approvals = approvals;
        this.sandboxes = sandboxes;
        this.daemon = daemon;
        this.channels = channels;
        this.tasks = tasks;
    }

    boolean knows(String verb) {
        return List.of("help", "status", "approvals", "approve", "reject", "run", "tasks").contains(verb);
    }

    /**
     * Starts a skill for the sender; {@code started} gets the task so its progress can be
     * followed into the conversation. Answers what to tell the sender now.
     */
    String start(ChannelCommand command, Principal.Authorized by, java.util.function.Consumer<Task> started) {
        Optional<String> skill = command.arg(0);
        String input = command.restFrom(1);
        if (skill.isEmpty() || input.isBlank()) {
            return "usage: run SKILL TEXT  (e.g. run repo-qa what does the build do?)";
        }
        Optional<Tasks> t = tasks.get();
        if (t.isEmpty()) {
            return "No agent runtime is installed here: skills cannot run.";
        }
        try {
            Task task = t.get().submit(new TaskRequest(skill.get(), input, by.authenticated(), Optional.empty()));
            started.accept(task);
            return "Task " + task.id() + " started (" + task.skill() + "). Progress and the answer come here.";
        } catch (IllegalArgumentException | SecurityException e) {
            return "Cannot run " + abbreviate(skill.get(), 64) + ": " + e.getMessage();
        }
    }

    private String recent() {
        Optional<Tasks> t = tasks.get();
        if (t.isEmpty()) {
            return "No agent runtime is installed here.";
        }
        List<Task> list = t.get().list(MAX_LIST);
        if (list.isEmpty()) {
            return "No tasks yet.";
        }
        StringBuilder out = new StringBuilder();
        list.forEach(task -> out.append(task.id()).append(' ').append(task.state().label()).append(' ')
                .append(task.skill()).append(": ").append(abbreviate(task.input(), 80)).append('\n'));
        return out.toString().stripTrailing();
    }

    String run(ChannelCommand command, Principal.Authorized by) {
        return switch (command.verb()) {
            case "help" -> HELP;
            case "status" -> status();
            case "approvals" -> pending();
            case "approve" -> answer(command, true, by);
            case "reject" -> answer(command, false, by);
            case "tasks" -> recent();
            default -> "Unknown command '" + abbreviate(command.verb(), 40) + "'.\n" + HELP;
        };
    }

    private String answer(ChannelCommand command, boolean approve, Principal.Authorized by) {
        Optional<String> id = command.arg(0);
        if (id.isEmpty()) {
            return "usage: " + (approve ? "approve" : "reject") + " ID [reason]  (send 'approvals' for the ids)";
        }
        String reason = command.restFrom(1);
        try {
            Decision d = approvals.answer(id.get(), approve, by.authenticated(),
                    reason.isBlank() ? (approve ? "approved" : "rejected") + " from " + by.authenticated().channel()
                            : reason);
            return (d.approved() ? "Approved " : "Rejected ") + id.get() + ".";
        } catch (IllegalArgumentException e) {
            return "Cannot answer " + abbreviate(id.get(), 64) + ": " + e.getMessage();
        } catch (SecurityException e) {
            return "Not allowed to answer " + id.get() + ": " + e.getMessage();
        }
    }

    private String status() {
        StringBuilder out = new StringBuilder();
        daemon.get().ifPresentOrElse(d -> out.append("CrustyClaw ").append(d.info().version()).append(", up ")
                .append(uptime(d.info().startedAt())).append('\n'), () -> out.append("CrustyClaw (daemon info unavailable)\n"));
        sandboxes.get().ifPresentOrElse(s -> {
            List<BackendStatus> backends = s.backends();
            out.append("Sandboxes: ").append(backends.stream().filter(BackendStatus::available)
                    .map(b -> b.name() + " " + b.level()).collect(Collectors.joining(", ")));
            long down = backends.stream().filter(b -> !b.available()).count();
            if (down > 0) {
                out.append(" (").append(down).append(" unavailable)");
            }
            out.append('\n');
        }, () -> out.append("Sandboxes: no sandbox manager\n"));
        out.append("Channels: ").append(channels.get().values().stream()
                .map(c -> c.name() + (c.connected() ? "" : " (disconnected)")).sorted().collect(Collectors.joining(", ")))
                .append('\n');
        out.append("Pending approvals: ").append(approvals.pending().size());
        return out.toString();
    }

    private String pending() {
        List<ApprovalRequest> waiting = approvals.pending();
        if (waiting.isEmpty()) {
            return "Nothing waits for an answer.";
        }
        StringBuilder out = new StringBuilder();
        waiting.stream().limit(MAX_LIST).forEach(r -> out.append(r.id()).append(": ").append(abbreviate(r.what(), 120))
                .append('\n'));
        if (waiting.size() > MAX_LIST) {
            out.append("... and ").append(waiting.size() - MAX_LIST).append(" more (crustyclaw review list)\n");
        }
        return out.append("Answer with 'approve ID' or 'reject ID reason'.").toString();
    }

    /** The text that offers a pending approval to an operator. */
    static String offer(ApprovalRequest r) {
        return "Approval needed " + r.id() + ": " + abbreviate(r.what(), 300) + "\nWhy: " + abbreviate(r.why(), 300)
                + "\nRequested by " + r.requestedBy() + ", rule " + r.rule()
                + r.detail().map(d -> "\n" + abbreviate(d, 1500)).orElse("")
                + "\nReply 'approve " + r.id() + "' or 'reject " + r.id() + " reason'.";
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "… (" + s.length() + " chars)";
    }

    private static String uptime(Instant since) {
        Duration d = Duration.between(since, Instant.now());
        return d.toHours() > 0 ? d.toHours() + "h " + d.toMinutesPart() + "m" : d.toMinutes() + "m " + d.toSecondsPart() + "s";
    }
}
