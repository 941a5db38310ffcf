package org.crustyclaw.tools.builtin;

import java.util.List;
import java.util.regex.Pattern;

import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolContext;
import org.crustyclaw.api.tool.ToolName;
import org.crustyclaw.api.tool.ToolResult;
import org.osgi.service.component.annotations.Component;

/**
 * {@code git_commit}: commits the staged changes on a branch of the workspace's repository,
 * switching to (or creating) the branch first when one is named. Never on a detached HEAD;
 * nothing is pushed: a commit stays in the workspace.
 */
@Component(service = org.crustyclaw.api.tool.ToolAdapter.class)
@ToolName("git_commit")
public final class GitCommitTool extends BuiltinTool {

    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,99}");

    public GitCommitTool() {
        super("git_commit", "Commits the staged changes of the workspace's git repository on its current branch,"
                + " or on the named branch (switched to, created when missing). Nothing is pushed.",
                new Schema().string("message", true, "the commit message")
                        .string("branch", false, "commit on this branch, e.g. 'agent/fix-tests'"),
                List.of("fs.write"), SideEffects.WORKSPACE);
    }

    @Override
    ToolResult run(Schema.Args args, ToolContext context) throws SandboxException {
        String message = args.string("message");
        if (message.isBlank()) {
            return ToolResult.failed("git_commit: argument 'message' is blank; expected a commit message");
        }
        if (args.optString("branch").isPresent()) {
            String branch = args.string("branch");
            if (!BRANCH.matcher(branch).matches() || branch.contains("..") || branch.endsWith(".lock")
                    || branch.endsWith("/") || branch.contains("//")) {
                return ToolResult.failed("git_commit: argument 'branch' is '" + Json.clip(branch)
                        + "'; expected a branch name of letters, digits, '.', '_', '-' and '/'");
            }
            boolean exists = Git.run(context, List.of("rev-parse", "--verify", "--quiet", "refs/heads/" + branch))
                    .result().succeeded();
            Sandboxed.Ran sw = Git.run(context, exists ? List.of("switch", branch) : List.of("switch", "-c", branch));
            if (!sw.result().succeeded()) {
                return Git.result("git_commit", sw);
            }
        }
        Sandboxed.Ran head = Git.run(context, List.of("symbolic-ref", "--short", "-q", "HEAD"));
        if (!head.result().succeeded()) {
            return ToolResult.failed("git_commit: HEAD is detached (or this is no git repository); name a branch"
                    + " with the 'branch' argument\n" + head.output());
        }
        Sandboxed.Ran commit = Git.run(context, List.of("commit", "--no-verify", "-m", message));
        if (!commit.result().succeeded()) {
            return Git.result("git_commit", commit);
        }
        return Git.result("git_commit", Git.run(context, List.of("log", "-1", "--format=committed %h on "
                + head.output().strip() + ": %s")));
    }
}
