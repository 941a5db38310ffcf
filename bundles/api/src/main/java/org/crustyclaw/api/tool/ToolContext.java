package org.crustyclaw.api.tool;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.crustyclaw.api.egress.EgressSession;

import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.sandbox.TrustTier;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a tool's call may use: the task's workspace and its sandbox. The agent runtime
 * implements it once per call; a tool never starts processes or opens files outside it.
 */
@ProviderType
public interface ToolContext {

    /**
     * The task's workspace, an absolute host directory; it is mounted read-write at the
     * same path inside the sandbox. A tool confines every file it touches to it.
     */
    Path workspace();

    /** The task the call belongs to, for log lines and audit correlation. */
    String taskId();

    /** The trust tier of the skill making the call. */
    TrustTier tier();

    /**
     * Runs a command in the skill's sandbox with the skill's limits, through the sandbox
     * manager, so policy ({@code sandbox.exec}) and audit apply. The working directory is
     * {@link #workspace()}. Interrupting the calling thread cancels the run.
     *
     * @param command the program and its arguments, never empty
     * @param env     the whole environment of the command; host variables are never inherited
     * @param lines   receives each output line as it is written
     * @return how the command ended; a limit that was hit is an ending, not an exception
     * @throws SandboxException when the run was refused or the sandbox could not be created;
     *                          the message says why
     */
    ExecResult exec(List<String> command, Map<String, String> env, Consumer<OutputLine> lines)
            throws SandboxException;

    /** Streams one line of progress to whoever follows the task (model text aside). */
    void progress(String line);

    /** The most characters a result may carry; a tool truncates beyond it with a visible note. */
    int maxOutputChars();

    /**
     * The task's way out: the egress session the runtime opened for the skill's sandbox with
     * the skill's egress rules (default-deny, audited by the credential proxy). A tool that
     * reaches the network (such as {@code http_fetch}) goes through its proxy and nowhere else.
     *
     * @return empty when the skill may reach nothing or no egress service is installed
     * @since 2.1
     */
    default Optional<EgressSession> egress() {
        return Optional.empty();
    }
}
