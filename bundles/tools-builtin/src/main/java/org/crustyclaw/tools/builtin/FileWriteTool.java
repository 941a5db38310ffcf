package org.crustyclaw.tools.builtin;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolContext;
import org.crustyclaw.api.tool.ToolName;
import org.crustyclaw.api.tool.ToolResult;
import org.osgi.service.component.annotations.Component;

/** {@code file_write}: creates or replaces a text file of the workspace, atomically. */
@Component(service = org.crustyclaw.api.tool.ToolAdapter.class)
@ToolName("file_write")
public final class FileWriteTool extends BuiltinTool {

    static final int MAX_BYTES = 8 << 20;

    public FileWriteTool() {
        super("file_write", "Creates or replaces a text file of the workspace with the given content.",
                new Schema().string("path", true, "file path relative to the workspace")
                        .string("content", true, "the whole new content of the file")
                        .bool("create_dirs", "create missing parent directories (default true)"),
                List.of("fs.write"), SideEffects.WORKSPACE);
    }

    @Override
    ToolResult run(Schema.Args args, ToolContext context) throws Workspace.Refused, SandboxException {
        Workspace ws = Workspace.of(context.workspace());
        byte[] content = args.string("content").getBytes(StandardCharsets.UTF_8);
        if (content.length > MAX_BYTES) {
            return ToolResult.failed("file_write: argument 'content' is " + content.length + " bytes; at most "
                    + MAX_BYTES);
        }
        String path = args.string("path");
        List<String> comps = ws.components(path);
        if (comps.isEmpty()) {
            return ToolResult.failed("file_write: argument 'path' names the workspace itself; name a file in it");
        }
        if (comps.size() > 1 && args.bool("create_dirs", true)) {
            String parent = Workspace.join(comps.subList(0, comps.size() - 1));
            makeDirectories(ws, parent, context);
        }
        boolean existed = ws.write(path, content);
        return ToolResult.ok((existed ? "replaced " : "created ") + Workspace.join(comps) + " (" + content.length
                + " bytes)");
    }

    /**
     * Missing directories are made inside the sandbox, which sees nothing but the workspace:
     * a link swapped into the path can then only lead to somewhere the sandbox may write anyway.
     */
    static void makeDirectories(Workspace ws, String parent, ToolContext context)
            throws Workspace.Refused, SandboxException {
        try {
            ws.directory(parent).close();
            return;
        } catch (Workspace.Refused missing) {
            if (!missing.getMessage().contains("does not exist")) {
                throw missing;
            }
        } catch (java.io.IOException ignored) {
            return;
        }
        Capped out = new Capped(2000);
        ExecResult r = context.exec(List.of("mkdir", "-p", "--", context.workspace().resolve(parent).toString()),
                Map.of("PATH", "/usr/bin:/bin"), l -> out.line(l.text()));
        if (!r.succeeded()) {
            throw new Workspace.Refused("could not create directory '" + parent + "': " + out.text().strip());
        }
    }
}
