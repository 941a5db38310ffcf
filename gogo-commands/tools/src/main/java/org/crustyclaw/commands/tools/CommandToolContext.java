package org.crustyclaw.commands.tools;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.crustyclaw.api.policy.Subject;
import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.RunRequest;
import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.sandbox.Sandboxes;
import org.crustyclaw.api.sandbox.TrustTier;
import org.crustyclaw.api.tool.ToolContext;

/**
 * The context of one {@code tools:call}: the operator's workspace, every command through the
 * sandbox manager (tier selection, {@code sandbox.exec} policy, audit), no egress session.
 */
final class CommandToolContext implements ToolContext {

    private final Sandboxes sandboxes;
    private final Subject subject;
    private final TrustTier tier;
    private final Path workspace;
    private final String image;
    private final int maxOutputChars;
    private final String taskId;
    private final Consumer<String> progress;

    CommandToolContext(Sandboxes sandboxes, Subject subject, TrustTier tier, Path workspace, String image,
            int maxOutputChars, String taskId, Consumer<String> progress) {
        this.sandboxes = sandboxes;
        this.subject = subject;
        this.tier = tier;
        this.workspace = workspace;
        this.image = image;
        this.maxOutputChars = maxOutputChars;
        this.taskId = taskId;
        this.progress = progress;
    }

    /** A fresh workspace from the manager: made by running {@code true} in it, under policy and audit. */
    static Path freshWorkspace(Sandboxes sandboxes, Subject subject, TrustTier tier, String image)
            throws SandboxException {
        Sandboxes.RunOutcome outcome = sandboxes.run(RunRequest.of(subject, tier, List.of("true")).withImage(image),
                line -> {});
        if (outcome instanceof Sandboxes.Refusal refusal) {
            throw new SandboxException("no fresh workspace: the sandbox run was refused: " + refusal.reason());
        }
        return ((Sandboxes.Ran) outcome).workspace();
    }

    @Override
    public Path workspace() {
        return workspace;
    }

    @Override
    public String taskId() {
        return taskId;
    }

    @Override
    public TrustTier tier() {
        return tier;
    }

    @Override
    public ExecResult exec(List<String> command, Map<String, String> env, Consumer<OutputLine> lines)
            throws SandboxException {
        RunRequest request = new RunRequest(subject, tier, Optional.empty(), Optional.empty(), command,
                Optional.of(workspace), env, ResourceLimits.DEFAULT, image);
        Sandboxes.RunOutcome outcome = sandboxes.run(request, lines);
        if (outcome instanceof Sandboxes.Refusal refusal) {
            throw new SandboxException("refused: " + refusal.reason());
        }
        return ((Sandboxes.Ran) outcome).result();
    }

    @Override
    public void progress(String line) {
        progress.accept(line);
    }

    @Override
    public int maxOutputChars() {
        return maxOutputChars;
    }
}
