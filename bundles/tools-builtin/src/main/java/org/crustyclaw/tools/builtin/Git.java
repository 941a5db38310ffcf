package org.crustyclaw.tools.builtin;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.tool.ToolContext;

/**
 * git in the task's sandbox, against the workspace's repository only: no system or global
 * configuration, no hooks, no credential helpers, no prompts, no fsmonitor, no transport
 * (the sandbox has no network either).
 */
final class Git {

    static final String AUTHOR_NAME = "CrustyClaw agent";
    static final String AUTHOR_EMAIL = "agent@crustyclaw.invalid";

    private Git() {}

    static Sandboxed.Ran run(ToolContext context, List<String> args) throws SandboxException {
        Map<String, String> env = new HashMap<>(Sandboxed.ENV);
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_PAGER", "cat");
        env.put("GIT_AUTHOR_NAME", AUTHOR_NAME);
        env.put("GIT_AUTHOR_EMAIL", AUTHOR_EMAIL);
        env.put("GIT_COMMITTER_NAME", AUTHOR_NAME);
        env.put("GIT_COMMITTER_EMAIL", AUTHOR_EMAIL);
        List<String> head = List.of("git", "-C", context.workspace().toString(), "-c", "safe.directory=*",
                "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "credential.helper=",
                "-c", "protocol.allow=never", "-c", "color.ui=false", "-c", "core.pager=cat",
                "-c", "commit.gpgSign=false");
        return Sandboxed.run(context, Sandboxed.with(head, args), env, false);
    }

    /** Paths given by the model, checked to be inside the workspace and passed after {@code --}. */
    static List<String> paths(Workspace ws, List<String> given) throws Workspace.Refused {
        List<String> out = new java.util.ArrayList<>();
        for (String p : given) {
            out.add(Workspace.join(ws.components(p)));
        }
        return out;
    }

    static org.crustyclaw.api.tool.ToolResult result(String tool, Sandboxed.Ran ran) {
        if (ran.result().succeeded()) {
            return org.crustyclaw.api.tool.ToolResult.ok(ran.output().isEmpty() ? "(no output)\n" : ran.output());
        }
        return org.crustyclaw.api.tool.ToolResult.failed(tool + ": git failed (" + ran.describe() + ")\n"
                + ran.output());
    }
}
