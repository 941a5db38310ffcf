package org.crustyclaw.commands.sandbox;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.crustyclaw.api.policy.Principal;
import org.crustyclaw.api.policy.Subject;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.RunRequest;
import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.sandbox.Sandboxes;
import org.crustyclaw.api.sandbox.TrustTier;
import org.crustyclaw.api.sandbox.WorkspaceStatus;
import org.crustyclaw.commands.format.Arguments;
import org.crustyclaw.commands.format.Output;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code sandbox:list}, {@code sandbox:run}, {@code sandbox:pool}: thin over {@link Sandboxes},
 * rendering through {@link Output}. A refused or failed run prints why and then fails the
 * command, so the CLI exits non-zero.
 */
@Component(service = SandboxCommands.class, property = {"osgi.command.scope=sandbox",
        "osgi.command.function=list", "osgi.command.function=run", "osgi.command.function=pool"})
public final class SandboxCommands {

    private final Sandboxes sandboxes;

    @Activate
    public SandboxCommands(@Reference Sandboxes sandboxes) {
        this.sandboxes = sandboxes;
    }

    @Descriptor("lists the sandbox backends, their isolation level and whether they can run here, and where fresh"
            + " workspaces are made")
    public void list(@Descriptor("print JSON") @Parameter(names = "--json", absentValue = "false", presentValue = "true")
            boolean json) {
        list(json, System.out, System.err);
    }

    /**
     * The backend table (its JSON stays an array of rows), then the workspace root; while runs
     * cannot get a fresh workspace the reason follows, on stderr in {@code --json} mode.
     */
    void list(boolean json, PrintStream out, PrintStream err) {
        print(out, Output.render(sandboxes.backends().stream().map(SandboxViews.BackendRow::of).toList(), json));
        WorkspaceStatus ws = sandboxes.workspaces();
        if (!json) {
            print(out, "workspaces: " + ws.root() + ws.unavailableBecause().map(r -> " (unavailable: " + r + ")")
                    .orElse(""));
        } else {
            ws.unavailableBecause().ifPresent(r -> print(err, "warning: fresh workspaces unavailable: " + r));
        }
    }

    @Descriptor("shows the warm pools: size, idle, starting, in use, handed out, refills in the last minute, acquire p50/p99")
    public void pool(@Descriptor("print JSON") @Parameter(names = "--json", absentValue = "false", presentValue = "true")
            boolean json) {
        print(System.out, Output.render(sandboxes.pools().stream().map(SandboxViews.PoolRow::of).toList(), json));
    }

    @Descriptor("runs a command in a sandbox chosen by trust tier (or a named backend), streaming its output")
    public void run(CommandSession session,
            @Descriptor("trust tier: trusted, internal, untrusted, llm-generated (default trusted)")
            @Parameter(names = "--tier", absentValue = "") String tier,
            @Descriptor("a backend by name, e.g. bwrap, docker-runc, docker-runsc")
            @Parameter(names = "--backend", absentValue = "") String backend,
            @Descriptor("memory limit, e.g. 256m") @Parameter(names = "--memory", absentValue = "") String memory,
            @Descriptor("wall-clock limit, e.g. 30s") @Parameter(names = "--timeout", absentValue = "") String timeout,
            @Descriptor("disk space of a fresh workspace and /tmp, e.g. 1g (default 512m)")
            @Parameter(names = "--disk", absentValue = "") String disk,
            @Descriptor("an existing directory to work in (default: a fresh one)")
            @Parameter(names = "--workspace", absentValue = "") String workspace,
            @Descriptor("the image: base (busybox) or build (JDK 17, git); Docker backends")
            @Parameter(names = "--image", absentValue = "base") String image,
            @Descriptor("the skill the command runs as: its [egress.skills.NAME] rules and secrets apply (default: none, no network)")
            @Parameter(names = "--skill", absentValue = "") String skill,
            @Descriptor("print JSON: one object per output line, then the result")
            @Parameter(names = "--json", absentValue = "false", presentValue = "true") boolean json,
            @Descriptor("the command and its arguments") String... command) throws SandboxException {
        RunRequest request = request(Arguments.principal(session), session, tier, backend, memory, timeout, disk, workspace,
                Arrays.asList(command)).withImage(image);
        run(skill.isEmpty() ? request : request.withSkill(skill), json, System.out, System.err);
    }

    /** The request the options describe, made by {@code who}; bad input throws naming the value and what was expected. */
    static RunRequest request(Principal.Authenticated who, CommandSession session, String tier, String backend, String memory, String timeout,
            String disk, String workspace, List<String> words) {
        List<String> command = !words.isEmpty() && words.get(0).equals("--") ? words.subList(1, words.size()) : words;
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command given: sandbox:run [options] CMD...");
        }
        if (!tier.isEmpty() && !backend.isEmpty()) {
            throw new IllegalArgumentException("give --tier or --backend, not both (--tier " + tier + ", --backend "
                    + backend + ")");
        }
        TrustTier trust = tier.isEmpty() ? TrustTier.TRUSTED : TrustTier.parse(tier);
        ResourceLimits limits = ResourceLimits.DEFAULT;
        if (!memory.isEmpty()) {
            limits = limits.withMemory(ResourceLimits.parseSize(memory));
        }
        if (!timeout.isEmpty()) {
            limits = limits.withTimeout(ResourceLimits.parseDuration(timeout));
        }
        if (!disk.isEmpty()) {
            limits = limits.withDisk(ResourceLimits.parseSize(disk));
        }
        Optional<Path> dir = Optional.empty();
        if (!workspace.isEmpty()) {
            Path p = Arguments.path(session, workspace);
            if (!Files.isDirectory(p)) {
                throw new IllegalArgumentException("--workspace " + workspace + " is not an existing directory");
            }
            dir = Optional.of(p);
        }
        Subject operator = who.subject(Optional.of(trust));
        return new RunRequest(operator, trust, Optional.empty(), backend.isEmpty() ? Optional.empty()
                : Optional.of(backend), command, dir, Map.of(), limits, "base");
    }

    /**
     * Streams the run's lines to {@code out}/{@code err} as they come, then its result. The
     * lines are printed on this thread: backends deliver them from threads of their own, and
     * the shell's {@code System.out} is bound to the thread that writes (Gogo's ThreadIO), so a
     * pooled thread would print into whichever session first made it. The run itself goes on
     * a thread of its own; interrupting this one (the client went away) cancels it.
     */
    void run(RunRequest request, boolean json, PrintStream out, PrintStream err) throws SandboxException {
        BlockingQueue<Optional<OutputLine>> lines = new LinkedBlockingQueue<>();
        CompletableFuture<Sandboxes.RunOutcome> done = new CompletableFuture<>();
        Thread runner = new Thread(() -> {
            try {
                done.complete(sandboxes.run(request, line -> lines.add(Optional.of(line))));
            } catch (Throwable t) {
                done.completeExceptionally(t);
            } finally {
                lines.add(Optional.empty());
            }
        }, "sandbox-run");
        runner.start();
        boolean interrupted = false;
        for (;;) {
            Optional<OutputLine> next;
            try {
                next = lines.take();
            } catch (InterruptedException e) {
                interrupted = true;
                runner.interrupt(); // the backend cancels the command; its end still comes through the queue
                continue;
            }
            if (next.isEmpty()) {
                break;
            }
            OutputLine line = next.get();
            if (json) {
                out.println(Output.json(SandboxViews.LineRow.of(line)).replaceAll("\\s*\\n\\s*", " "));
            } else {
                (line.stream() == OutputLine.Stream.STDERR ? err : out).println(line.text());
            }
            out.flush();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Sandboxes.RunOutcome outcome;
        try {
            outcome = done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SandboxException se) {
                throw se;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
        if (outcome instanceof Sandboxes.Refusal refusal) {
            SandboxViews.RefusalView view = SandboxViews.RefusalView.of(refusal);
            if (json) {
                print(out, Output.json(view));
            } else {
                err.print("refused: " + view.refused() + "\ninstalled backends:\n" + Output.table(view.installed()));
            }
            throw new SandboxRefused(refusal.reason());
        }
        Sandboxes.Ran ran = (Sandboxes.Ran) outcome;
        SandboxViews.RunView view = SandboxViews.RunView.of(ran);
        print(json ? out : err, Output.render(view, json));
        if (!ran.result().succeeded()) {
            throw new SandboxRunFailed(ran.result().ending() + " with exit code " + ran.result().exitCode() + " on "
                    + ran.backend());
        }
    }

    /** Output's JSON has no final newline, its human form has: end both the same way. */
    private static void print(PrintStream stream, String text) {
        stream.print(text.endsWith("\n") ? text : text + "\n");
        stream.flush();
    }

    /** The run did not happen; the message says why. */
    static final class SandboxRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SandboxRefused(String reason) {
            super("sandbox run refused: " + reason);
        }
    }

    /** The command ran and did not succeed; a shell reports it as a failed command. */
    static final class SandboxRunFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SandboxRunFailed(String what) {
            super("sandboxed command ended " + what);
        }
    }
}
