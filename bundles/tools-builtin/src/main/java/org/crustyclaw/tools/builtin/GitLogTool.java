package org.crustyclaw.tools.builtin;

import java.util.ArrayList;
import java.util.List;

import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolContext;
import org.crustyclaw.api.tool.ToolName;
import org.crustyclaw.api.tool.ToolResult;
import org.osgi.service.component.annotations.Component;

/** {@code git_log}: The latest commits of the workspace's git repository: hash, date, author, subject. */
@Component(service = org.crustyclaw.api.tool.ToolAdapter.class)
@ToolName("git_log")
public final class GitLogTool extends BuiltinTool {

    public GitLogTool() {
        super("git_log", "The latest commits of the workspace's git repository: hash, date, author, subject.",
                new Schema().integer("max_count", 1, 500, "how many commits (default 20)")
                        .string("path", false, "only commits that touch this path"),
                List.of("fs.read"), SideEffects.NONE);
    }

    @Override
    ToolResult run(Schema.Args args, ToolContext context) throws Workspace.Refused, SandboxException {
        List<String> cmd = new ArrayList<>(List.of("log", "--no-color", "--date=short", "--format=%h %ad %an: %s",
                "-n", Long.toString(args.integer("max_count", 20)), "--"));
        if (args.optString("path").isPresent()) {
            cmd.addAll(Git.paths(Workspace.of(context.workspace()), List.of(args.string("path"))));
        }
        return Git.result("git_log", Git.run(context, cmd));
    }
}
