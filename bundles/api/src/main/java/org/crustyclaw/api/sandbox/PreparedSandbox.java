package org.crustyclaw.api.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A sandbox started ahead of its command, as the warm pool keeps them. It runs exactly
 * one command and is then destroyed: a sandbox is never handed to a second task.
 *
 * <p>The limits given to {@link SandboxBackend#prepare} apply; the wall-clock timeout
 * starts when {@link #exec} is called.
 */
@ConsumerType
public interface PreparedSandbox extends AutoCloseable {

    /** The name of the backend that made this sandbox. */
    String backend();

    /** The host directory mounted read-write at the same path inside. */
    Path workspace();

    /**
     * Runs the one command this sandbox exists for, as {@link SandboxBackend#run} does
     * (streaming, limits, cancellation by interrupt).
     *
     * @param environment the whole environment of the command; host variables are never inherited
     * @throws IllegalStateException when a command already ran in this sandbox
     * @throws SandboxException      when the sandbox died before the command could start
     */
    ExecResult exec(List<String> command, Map<String, String> environment, Consumer<OutputLine> lines)
            throws SandboxException;

    /** Destroys the sandbox and everything still running in it. Never throws. */
    @Override
    void close();
}
