package org.crustyclaw.api.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What {@link SandboxBackend#prepare} returns for a backend that cannot start a sandbox
 * ahead of its command: nothing runs until {@link #exec}, which calls
 * {@link SandboxBackend#run}. Holding one costs nothing, so pooling it gains nothing.
 */
public record DeferredSandbox(SandboxBackend owner, Path workspace, ResourceLimits limits, String image)
        implements PreparedSandbox {

    @Override
    public String backend() {
        return owner.name();
    }

    @Override
    public ExecResult exec(List<String> command, Map<String, String> environment, Consumer<OutputLine> lines)
            throws SandboxException {
        return owner.run(new SandboxSpec(command, workspace, environment, limits, image), lines);
    }

    @Override
    public void close() {
        // nothing was started
    }
}
