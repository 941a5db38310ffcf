package org.crustyclaw.tools.builtin;

import java.util.List;

import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolContext;
import org.crustyclaw.api.tool.ToolName;
import org.crustyclaw.api.tool.ToolResult;
import org.osgi.service.component.annotations.Component;

/** {@code git_status}: The branch and the changed, staged and untracked files of the workspace's git repository. */
@Component(service = org.crustyclaw.api.tool.ToolAdapter.class)
@ToolName("git_status")
public final class GitStatusTool extends BuiltinTool {

    public GitStatusTool() {
        super("git_status", "The branch and the changed, staged and untracked files of the workspace's git repository.",
                new Schema(),
                List.of("fs.read"), SideEffects.NONE);
    }

    @Override
    ToolResult run(Schema.Args args, ToolContext context) throws Workspace.Refused, SandboxException {
        return Git.result("git_status", Git.run(context, List.of("status", "--short", "--branch")));
    }
}
