package org.crustyclaw.tools.builtin;

import java.util.ArrayList;
import java.util.List;

import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolContext;
import org.crustyclaw.api.tool.ToolName;
import org.crustyclaw.api.tool.ToolResult;
import org.osgi.service.component.annotations.Component;

/** {@code git_add}: Stages files of the workspace for the next commit (git add). */
@Component(service = org.crustyclaw.api.tool.ToolAdapter.class)
@ToolName("git_add")
public final class GitAddTool extends BuiltinTool {

    public GitAddTool() {
        super("git_add", "Stages files of the workspace for the next commit (git add).",
                new Schema().strings("paths", true, "the paths to stage, relative to the workspace"),
                List.of("fs.write"), SideEffects.WORKSPACE);
    }

    @Override
    ToolResult run(Schema.Args args, ToolContext context) throws Workspace.Refused, SandboxException {
        List<String> cmd = new ArrayList<>(List.of("add", "--"));
        cmd.addAll(Git.paths(Workspace.of(context.workspace()), args.strings("paths")));
        Sandboxed.Ran ran = Git.run(context, cmd);
        if (!ran.result().succeeded()) {
            return Git.result("git_add", ran);
        }
        return Git.result("git_add", Git.run(context, List.of("status", "--short")));
    }
}
