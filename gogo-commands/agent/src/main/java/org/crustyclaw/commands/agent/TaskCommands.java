package org.crustyclaw.commands.agent;

import java.io.PrintStream;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.crustyclaw.api.agent.Task;
import org.crustyclaw.api.agent.TaskEvent;
import org.crustyclaw.api.agent.Tasks;
import org.crustyclaw.api.runtime.CommandFailedException;
import org.crustyclaw.commands.format.Output;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code tasks:list|show|logs|cancel|resume}: thin over {@link Tasks}. */
@Component(service = TaskCommands.class, property = {"osgi.command.scope=tasks", "osgi.command.function=list",
        "osgi.command.function=show", "osgi.command.function=logs", "osgi.command.function=cancel",
        "osgi.command.function=resume"})
public final class TaskCommands {

    private final Tasks tasks;

    @Activate
    public TaskCommands(@Reference Tasks tasks) {
        this.tasks = tasks;
    }

    @Descriptor("lists the most recent tasks: id, skill, state, requester, turns, cost, why it stopped")
    public String list(@Descriptor("how many, newest first (default 20)") @Parameter(names = "--limit", absentValue = "20") int limit,
            @Descriptor("print JSON") @Parameter(names = "--json", absentValue = "false", presentValue = "true") boolean json) {
        if (limit < 1) {
            throw new CommandFailedException(2, "usage error: --limit " + limit + ": expected a number of at least 1");
        }
        return Output.render(tasks.list(limit).stream().map(TaskViews.TaskRow::of).toList(), json);
    }

    @Descriptor("shows one task: input, state, why it stopped, output, tokens and cost")
    public String show(@Descriptor("print JSON") @Parameter(names = "--json", absentValue = "false", presentValue = "true") boolean json,
            @Descriptor("the task id") String id) {
        return Output.render(TaskViews.TaskDetail.of(require(id)), json);
    }

    @Descriptor("prints a task's events: model text, tool calls and results, refusals, approvals, state changes; -f follows")
    public void logs(@Descriptor("follow until the task ends") @Parameter(names = {"-f", "--follow"}, absentValue = "false",
            presentValue = "true") boolean follow,
            @Descriptor("print JSON, one object per event") @Parameter(names = "--json", absentValue = "false",
                    presentValue = "true") boolean json,
            @Descriptor("the task id") String id) throws InterruptedException {
        require(id);
        if (follow) {
            follow(tasks, id, 0, json, System.out, System.err);
            return;
        }
        boolean[] mid = {false};
        for (TaskEvent e : tasks.events(id, 0)) {
            TaskViews.print(e, json, System.out, mid);
        }
        if (mid[0]) {
            System.out.println();
        }
    }

    @Descriptor("cancels a queued, running or waiting task; it stops at its next step")
    public String cancel(@Descriptor("print JSON") @Parameter(names = "--json", absentValue = "false", presentValue = "true") boolean json,
            @Descriptor("the task id") String id) {
        require(id);
        return Output.render(TaskViews.TaskDetail.of(tasks.cancel(id)), json);
    }

    @Descriptor("continues an interrupted, failed or escalated task from its last completed step; finished tool calls"
            + " are not run again")
    public void resume(@Descriptor("stream the task's events until it ends") @Parameter(names = "--follow",
            absentValue = "false", presentValue = "true") boolean follow,
            @Descriptor("print JSON") @Parameter(names = "--json", absentValue = "false", presentValue = "true") boolean json,
            @Descriptor("the task id") String id) throws InterruptedException {
        require(id);
        long last = tasks.events(id, 0).stream().mapToLong(TaskEvent::seq).max().orElse(0);
        Task t;
        try {
            t = tasks.resume(id);
        } catch (IllegalStateException e) {
            throw new CommandFailedException(1, "error: " + e.getMessage());
        }
        if (follow) {
            follow(tasks, id, last, json, System.out, System.err);
        } else {
            System.out.print(Output.render(TaskViews.TaskDetail.of(t), json) + (json ? "\n" : ""));
        }
    }

    private Task require(String id) {
        try {
            Task.requireId(id);
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException(2, "usage error: " + e.getMessage());
        }
        return tasks.find(id).orElseThrow(() -> new CommandFailedException(1, "error: no task '" + id
                + "' ('crustyclaw tasks list' shows them)"));
    }

    /**
     * Streams the task's events on this thread (Gogo binds System.out per thread) until it
     * ends, then its outcome. An interrupt (the client went away) stops following; the task goes on.
     */
    static void follow(Tasks tasks, String id, long after, boolean json, PrintStream out, PrintStream err)
            throws InterruptedException {
        boolean[] mid = {false};
        tasks.follow(id, after, e -> TaskViews.print(e, json, out, mid));
        if (mid[0]) {
            out.println();
        }
        TaskViews.outcome(tasks.find(id).orElseThrow(), json, out, err);
    }
}
