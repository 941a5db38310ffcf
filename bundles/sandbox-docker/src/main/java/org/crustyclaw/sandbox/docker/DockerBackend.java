package org.crustyclaw.sandbox.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.IsolationLevel;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.PreparedSandbox;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.SandboxBackend;
import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.sandbox.SandboxSpec;

/**
 * A container per sandbox on one OCI runtime: no network, read-only root, the workspace
 * bound at its own path, memory/pids/CPU limits, a non-root user, no capabilities,
 * {@code no-new-privileges}. The container idles until its one command is exec'd in it.
 */
abstract class DockerBackend implements SandboxBackend {

    /** pid 1 of every sandbox: waits, holding the namespaces, until the sandbox is removed. */
    static final List<String> IDLE = List.of("sleep", "2147483647");

    private final DockerEngine engine;
    private final String name;
    private final String runtime;
    private final IsolationLevel level;

    DockerBackend(DockerEngine engine, String name, String runtime, IsolationLevel level) {
        this.engine = engine;
        this.name = name;
        this.runtime = runtime;
        this.level = level;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public IsolationLevel level() {
        return level;
    }

    @Override
    public Optional<String> unavailableBecause() {
        return engine.unavailableBecause(runtime);
    }

    /** The pids limit docker is given for a command allowed {@code processes} processes. */
    abstract long pidsLimit(int processes);

    @Override
    public ExecResult run(SandboxSpec spec, Consumer<OutputLine> lines) throws SandboxException {
        try (PreparedSandbox sandbox = prepare(spec.workspace(), spec.limits(), spec.image())) {
            return sandbox.exec(spec.command(), spec.environment(), lines);
        }
    }

    @Override
    public PreparedSandbox prepare(Path workspace, ResourceLimits limits, String image) throws SandboxException {
        if (!workspace.isAbsolute() || !Files.isDirectory(workspace)) {
            throw new IllegalArgumentException("workspace is not an existing absolute directory: " + workspace);
        }
        Optional<String> unavailable = unavailableBecause();
        if (unavailable.isPresent()) {
            throw new SandboxException(name + " cannot run here: " + unavailable.get());
        }
        String user = user(workspace);
        String ws = workspace.toString();
        HostConfig host = HostConfig.newHostConfig()
                .withRuntime(runtime)
                .withNetworkMode("none")
                .withReadonlyRootfs(true)
                .withBinds(new Bind(ws, new Volume(ws)))
                .withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,size=" + limits.diskBytes()))
                .withMemory(limits.memoryBytes())
                .withMemorySwap(limits.memoryBytes())
                .withPidsLimit(pidsLimit(limits.maxProcesses()))
                .withNanoCPUs(Math.round(limits.cpus() * 1e9))
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"));
        String id;
        try {
            CreateContainerResponse created = engine.client().createContainerCmd(engine.image(image))
                    .withCmd(IDLE)
                    .withUser(user)
                    .withWorkingDir(ws)
                    .withEnv(List.of())
                    .withHostName("sandbox")
                    .withNetworkDisabled(true)
                    .withLabels(Map.of("org.crustyclaw.sandbox", name))
                    .withHostConfig(host)
                    .exec();
            id = created.getId();
        } catch (RuntimeException e) {
            throw new SandboxException(name + " could not create a container from " + engine.image(image) + ": "
                    + DockerEngine.rootMessage(e), e);
        }
        DockerSandbox sandbox = new DockerSandbox(engine, name, id, workspace, user, limits);
        try {
            engine.client().startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            sandbox.close();
            throw new SandboxException(name + " could not start its container: " + DockerEngine.rootMessage(e), e);
        }
        return sandbox;
    }

    /** The workspace's owner, unless that is root: a sandbox never runs as root. */
    private String user(Path workspace) throws SandboxException {
        try {
            int uid = (Integer) Files.getAttribute(workspace, "unix:uid");
            int gid = (Integer) Files.getAttribute(workspace, "unix:gid");
            return uid == 0 ? engine.config().sandboxUid() + ":" + engine.config().sandboxGid() : uid + ":" + gid;
        } catch (IOException e) {
            throw new SandboxException("cannot read the owner of workspace " + workspace + ": " + e.getMessage(), e);
        }
    }
}
