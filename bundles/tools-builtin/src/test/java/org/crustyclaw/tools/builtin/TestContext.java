package org.crustyclaw.tools.builtin;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.sandbox.SandboxSpec;
import org.crustyclaw.api.sandbox.TrustTier;
import org.crustyclaw.api.tool.ToolCall;
import org.crustyclaw.api.tool.ToolContext;
import org.crustyclaw.api.tool.ToolException;
import org.crustyclaw.api.tool.ToolResult;
import org.crustyclaw.sandbox.bwrap.BwrapBackend;

/**
 * A {@link ToolContext} whose commands run in the real bwrap sandbox (the backend the sandbox
 * manager would pick for the tier), with the workspace bound at its own path. Without a
 * backend, {@link #exec} refuses, as the agent's context does when no sandbox is available.
 */
final class TestContext implements ToolContext {

    static final ResourceLimits LIMITS = new ResourceLimits(256L << 20, 1.0, 128, Duration.ofSeconds(60), 64L << 20);

    private final Path workspace;
    private final BwrapBackend backend;
    private final int maxOutputChars;
    final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    java.util.Optional<org.crustyclaw.api.egress.EgressSession> egress = java.util.Optional.empty();
    final List<List<String>> commands = Collections.synchronizedList(new ArrayList<>());

    TestContext(Path workspace, BwrapBackend backend, int maxOutputChars) {
        this.workspace = workspace;
        this.backend = backend;
        this.maxOutputChars = maxOutputChars;
    }

    static TestContext files(Path workspace, int max) {
        return new TestContext(workspace, null, max);
    }

    ToolResult call(org.crustyclaw.api.tool.ToolAdapter tool, Map<String, Object> args) throws ToolException {
        return tool.call(new ToolCall("call-" + commands.size(), tool.descriptor().name(), args), this);
    }

    @Override
    public Path workspace() {
        return workspace;
    }

    @Override
    public String taskId() {
        return "test-task";
    }

    @Override
    public TrustTier tier() {
        return TrustTier.UNTRUSTED;
    }

    @Override
    public ExecResult exec(List<String> command, Map<String, String> env, Consumer<OutputLine> lines)
            throws SandboxException {
        commands.add(List.copyOf(command));
        if (backend == null) {
            throw new SandboxException("no sandbox backend in this test");
        }
        return backend.run(new SandboxSpec(command, workspace, env, LIMITS, "base"), lines);
    }

    @Override
    public void progress(String line) {
        progress.add(line);
    }

    @Override
    public int maxOutputChars() {
        return maxOutputChars;
    }

    @Override
    public java.util.Optional<org.crustyclaw.api.egress.EgressSession> egress() {
        return egress;
    }

    /** Running as root, bwrap drops to the workspace's owner: give the sandbox user what the test wrote. */
    static void giveToSandboxUser(Path dir) throws IOException {
        if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") != 0) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                Files.setAttribute(p, "unix:uid", 65534, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", 65534, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    /** A configuration annotation with its defaults, as SCR would hand it over. */
    static <A> A defaults(Class<A> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "annotationType" -> type;
                    case "toString" -> type.getSimpleName();
                    case "hashCode" -> 0;
                    case "equals" -> proxy == args[0];
                    default -> method.getDefaultValue();
                }));
    }
}
