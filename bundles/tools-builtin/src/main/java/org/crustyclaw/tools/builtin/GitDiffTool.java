package org.crustyclaw.tools.builtin;

import java.util.ArrayList;
import java.util.List;

import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolContext;
import org.crustyclaw.api.tool.ToolName;
import org.crustyclaw.api.tool.ToolResult;
import org.osgi.service.component.annotations.Component;

/** {@code git_diff}: The changes of the workspace's git repository as a unified diff: unstaged, or staged with staged=true. */
@Component(service = org.crustyclaw.api.tool.ToolAdapter.class)
@ToolName("git_diff")
public final class GitDiffTool extends BuiltinTool {

    public GitDiffTool() {
        super("git_diff", "The changes of the workspace's git repository as a unified diff: unstaged, or staged with staged=true.",
                new Schema().bool("staged", "show the staged changes (default: the unstaged ones)")
                        .strings("paths", false, "limit the diff to these paths"),
                List.of("fs.read"), SideEffects.NONE);
    }

    @Override
    ToolResult run(Schema.Args args, ToolContext context) throws Workspace.Refused, SandboxException {
        List<String> cmd = new ArrayList<>(List.of("diff", "--no-ext-diff", "--no-textconv", "--no-color"));
        if (args.bool("staged", false)) {
            cmd.add("--cached");
        }
        cmd.add("--");
        cmd.addAll(Git.paths(Workspace.of(context.workspace()), args.strings("paths")));
        return Git.result("git_diff", Git.run(context, cmd));
    }
}
