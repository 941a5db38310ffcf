package org.crustyclaw.tools.builtin;

import java.util.List;

import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolContext;
import org.crustyclaw.api.tool.ToolName;
import org.crustyclaw.api.tool.ToolResult;
import org.osgi.service.component.annotations.Component;

/**
 * {@code shell}: a {@code /bin/sh -c} command in the skill's sandbox with the skill's limits
 * (the context runs it through the sandbox manager: policy and audit apply), output streamed
 * as progress and capped in the result.
 */
@Component(service = org.crustyclaw.api.tool.ToolAdapter.class)
@ToolName("shell")
public final class ShellTool extends BuiltinTool {

    public ShellTool() {
        super("shell", "Runs a shell command (/bin/sh -c) in the task's sandbox, in the workspace directory,"
                + " without network; returns its exit code and output (stderr lines marked).",
                new Schema().string("command", true, "the shell command line"),
                List.of("sandbox.exec"), SideEffects.WORKSPACE);
    }

    @Override
    ToolResult run(Schema.Args args, ToolContext context) throws SandboxException {
        String command = args.string("command");
        if (command.isBlank()) {
            return ToolResult.failed("shell: argument 'command' is blank; expected a command line");
        }
        String script = "cd " + quote(context.workspace().toString()) + " && " + command;
        Sandboxed.Ran ran = Sandboxed.run(context, List.of("/bin/sh", "-c", script), Sandboxed.ENV, true);
        String text = ran.describe() + "\n" + ran.output();
        return ran.result().succeeded() ? ToolResult.ok(text) : ToolResult.failed(text);
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
