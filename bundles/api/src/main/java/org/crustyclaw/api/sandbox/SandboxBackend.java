package org.crustyclaw.api.sandbox;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An isolation technology that can run a {@link SandboxSpec}.
 *
 * <p>Register an implementation as an OSGi service; the core finds it through the
 * whiteboard pattern. Implementations are thread-safe. One bundle may register several
 * backends, one per runtime (for example {@code docker-runc} and {@code docker-runsc}).
 */
@ConsumerType
public interface SandboxBackend {

    /** A short stable name shown to users, such as {@code bwrap} or {@code docker-runsc}. */
    String name();

    IsolationLevel level();

    /** Empty when the backend can run here; otherwise why not, in words a user can act on. */
    Optional<String> unavailableBecause();

    /**
     * Runs the spec to its end, streaming each output line to {@code lines} as it is written.
     * Interrupting the calling thread cancels the run: the backend sends SIGTERM into the
     * sandbox, SIGKILL after a grace period, and returns {@link ExecResult.Ending#CANCELLED}.
     *
     * @throws SandboxException when the sandbox could not be created at all
     */
    ExecResult run(SandboxSpec spec, Consumer<OutputLine> lines) throws SandboxException;

    /**
     * Starts a sandbox now for a command given later, so that a warm pool can hide the
     * start-up cost. The default starts nothing and runs everything at
     * {@link PreparedSandbox#exec}; backends that can pre-start override it.
     *
     * @param workspace an existing absolute host directory, mounted read-write at the same path
     * @throws SandboxException when the sandbox could not be started
     */
    default PreparedSandbox prepare(Path workspace, ResourceLimits limits, String image) throws SandboxException {
        return new DeferredSandbox(this, workspace, limits, image);
    }

    /**
     * A pool the backend keeps by itself (booted microVMs, say), for {@code sandbox pool}.
     * Empty by default and when the backend's own pool is turned off.
     */
    default java.util.Optional<PoolStats> ownPool() {
        return java.util.Optional.empty();
    }
}
