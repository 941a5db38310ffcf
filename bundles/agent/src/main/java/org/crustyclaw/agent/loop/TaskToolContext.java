package org.crustyclaw.agent.loop;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.crustyclaw.api.agent.SkillManifest;
import org.crustyclaw.api.policy.Subject;
import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.RunRequest;
import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.sandbox.Sandboxes;
import org.crustyclaw.api.sandbox.TrustTier;
import org.crustyclaw.api.tool.ToolContext;

/**
 * A tool call's view of its task: the task's one workspace, and commands run through the
 * sandbox manager under the skill's tier and limits (so {@code sandbox.exec} policy and audit
 * apply), as the requester with the skill named.
 */
final class TaskToolContext implements ToolContext {

    private final String taskId;
    private final Path workspace;
    private final SkillManifest skill;
    private final Subject subject;
    private final Sandboxes sandboxes;
    private final int maxOutputChars;
    private final Consumer<String> progress;

    TaskToolContext(String taskId, Path workspace, SkillManifest skill, Subject subject, Sandboxes sandboxes,
            int maxOutputChars, Consumer<String> progress) {
        this.taskId = taskId;
        this.workspace = workspace;
        this.skill = skill;
        this.subject = subject;
        this.sandboxes = sandboxes;
        this.maxOutputChars = maxOutputChars;
        this.progress = progress;
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
        return skill.tier();
    }

    @Override
    public ExecResult exec(List<String> command, Map<String, String> env, Consumer<OutputLine> lines)
            throws SandboxException {
        RunRequest request = new RunRequest(subject, skill.tier(), java.util.Optional.of(skill.name()),
                java.util.Optional.empty(), command, java.util.Optional.of(workspace), env, skill.limits(), "base");
        Sandboxes.RunOutcome outcome = sandboxes.run(request, lines);
        if (outcome instanceof Sandboxes.Refusal refusal) {
            throw new SandboxException("sandbox run refused: " + refusal.reason());
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
