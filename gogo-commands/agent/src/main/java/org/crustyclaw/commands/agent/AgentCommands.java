package org.crustyclaw.commands.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.crustyclaw.api.agent.Task;
import org.crustyclaw.api.agent.TaskRequest;
import org.crustyclaw.api.agent.Tasks;
import org.crustyclaw.api.runtime.CommandFailedException;
import org.crustyclaw.commands.format.Arguments;
import org.crustyclaw.commands.format.Output;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code agent:run} ({@code crustyclaw run}): submits a skill run as a task and, with {@code --follow}, streams it. */
@Component(service = AgentCommands.class, property = {"osgi.command.scope=agent", "osgi.command.function=run"})
public final class AgentCommands {

    static final int MAX_INPUT_BYTES = 1 << 20;

    private final Tasks tasks;

    @Activate
    public AgentCommands(@Reference Tasks tasks) {
        this.tasks = tasks;
    }

    @Descriptor("runs a skill as a durable task; --follow streams model text, tool calls, results and approvals, and ends"
            + " with the outcome (exit 0 only when the task succeeded)")
    public void run(CommandSession session,
            @Descriptor("what the skill should do, or @FILE to read it from a file")
            @Parameter(names = "--input", absentValue = "") String input,
            @Descriptor("an existing directory to work in, e.g. a checkout (default: a fresh workspace)")
            @Parameter(names = "--workspace", absentValue = "") String workspace,
            @Descriptor("stream the task's events until it ends")
            @Parameter(names = "--follow", absentValue = "false", presentValue = "true") boolean follow,
            @Descriptor("print JSON: the task, or with --follow one object per event and then the task")
            @Parameter(names = "--json", absentValue = "false", presentValue = "true") boolean json,
            @Descriptor("the skill's name ('crustyclaw skills list')") String skill) throws InterruptedException {
        TaskRequest request = request(session, skill, input, workspace);
        Task task;
        try {
            task = tasks.submit(request);
        } catch (IllegalStateException e) {
            throw new CommandFailedException(1, "error: " + e.getMessage());
        }
        PrintStream out = System.out;
        if (!follow) {
            if (json) {
                out.println(Output.json(TaskViews.TaskDetail.of(task)));
            } else {
                out.println("task " + task.id() + " queued (skill " + task.skill() + "); follow it with 'crustyclaw tasks"
                        + " logs -f " + task.id() + "'");
            }
            return;
        }
        TaskCommands.follow(tasks, task.id(), 0, json, out, System.err);
    }

    static TaskRequest request(CommandSession session, String skill, String input, String workspace) {
        if (input.isEmpty()) {
            throw new CommandFailedException(2, "usage error: --input is missing: give --input TEXT or --input @FILE"
                    + "\n(run 'crustyclaw run --help' for its usage)");
        }
        String text = input;
        if (input.startsWith("@")) {
            Path file = Arguments.path(session, input.substring(1));
            try {
                if (Files.size(file) > MAX_INPUT_BYTES) {
                    throw new CommandFailedException(2, "usage error: --input " + input + " is larger than "
                            + MAX_INPUT_BYTES + " bytes");
                }
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CommandFailedException(2, "usage error: --input " + input + ": cannot read " + file + " ("
                        + e.getMessage() + ")");
            }
        }
        if (text.isBlank()) {
            throw new CommandFailedException(2, "usage error: --input " + input + " is empty: say what the skill should do");
        }
        Optional<Path> dir = Optional.empty();
        if (!workspace.isEmpty()) {
            Path p = Arguments.path(session, workspace);
            if (!Files.isDirectory(p)) {
                throw new CommandFailedException(2, "usage error: --workspace " + workspace + " is not an existing directory");
            }
            dir = Optional.of(p);
        }
        return new TaskRequest(skill, text, Arguments.principal(session), dir);
    }
}
