package org.crustyclaw.tools.builtin;

import java.nio.file.Files;
import java.util.List;

import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolContext;
import org.crustyclaw.api.tool.ToolName;
import org.crustyclaw.api.tool.ToolResult;
import org.osgi.service.component.annotations.Component;

/** {@code file_list}: the entries of a workspace directory, to a depth; links shown, not followed. */
@Component(service = org.crustyclaw.api.tool.ToolAdapter.class)
@ToolName("file_list")
public final class FileListTool extends BuiltinTool {

    public FileListTool() {
        super("file_list", "Lists a directory of the workspace: 'd' directories, 'f' files with sizes, 'l' links.",
                new Schema().string("path", false, "directory relative to the workspace (default: the workspace)")
                        .integer("depth", 1, 10, "how many levels down to list (default 1)"),
                List.of("fs.read"), SideEffects.NONE);
    }

    @Override
    ToolResult run(Schema.Args args, ToolContext context) throws Workspace.Refused {
        Workspace ws = Workspace.of(context.workspace());
        Capped out = new Capped(context.maxOutputChars());
        Walk.walk(ws, args.string("path", "."), (int) args.integer("depth", 1), (path, a, dir, name) -> {
            if (a.isSymbolicLink()) {
                String target;
                try {
                    target = Files.readSymbolicLink(ws.root().resolve(path)).toString();
                } catch (java.io.IOException e) {
                    target = "?";
                }
                out.line("l " + path + " -> " + target);
            } else if (a.isDirectory()) {
                out.line("d " + path + "/");
            } else {
                out.line("f " + path + " (" + a.size() + " bytes)");
            }
            return true;
        });
        String text = out.text();
        return ToolResult.ok(text.isEmpty() ? "(empty directory)\n" : text);
    }
}
