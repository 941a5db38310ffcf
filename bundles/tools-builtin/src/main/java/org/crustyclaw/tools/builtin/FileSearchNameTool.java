package org.crustyclaw.tools.builtin;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolContext;
import org.crustyclaw.api.tool.ToolName;
import org.crustyclaw.api.tool.ToolResult;
import org.osgi.service.component.annotations.Component;

/** {@code file_search_name}: files and directories whose name matches a glob. */
@Component(service = org.crustyclaw.api.tool.ToolAdapter.class)
@ToolName("file_search_name")
public final class FileSearchNameTool extends BuiltinTool {

    public FileSearchNameTool() {
        super("file_search_name", "Finds files of the workspace whose name matches a glob such as '*.java'"
                + " (a glob with '/' is matched against the path below the start directory).",
                new Schema().string("pattern", true, "glob: *, ?, [abc], {a,b}; ** crosses directories")
                        .string("path", false, "directory to search from (default: the workspace)")
                        .integer("max_results", 1, 10_000, "at most this many results (default 200)"),
                List.of("fs.read"), SideEffects.NONE);
    }

    @Override
    ToolResult run(Schema.Args args, ToolContext context) throws Workspace.Refused {
        Workspace ws = Workspace.of(context.workspace());
        String pattern = args.string("pattern");
        PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (IllegalArgumentException e) {
            return ToolResult.failed("file_search_name: argument 'pattern' is not a glob: " + e.getMessage());
        }
        boolean onPath = pattern.contains("/");
        String start = args.string("path", ".");
        String prefix = Workspace.join(ws.components(start));
        long max = args.integer("max_results", 200);
        Capped out = new Capped(context.maxOutputChars());
        AtomicInteger found = new AtomicInteger();
        Walk.walk(ws, start, 64, (path, a, dir, name) -> {
            String below = prefix.equals(".") ? path : path.substring(prefix.length() + 1);
            if (matcher.matches(Path.of(onPath ? below : name))) {
                out.line(path + (a.isDirectory() ? "/" : ""));
                if (found.incrementAndGet() >= max) {
                    out.line("[stopped at max_results=" + max + "]");
                    return false;
                }
            }
            return true;
        });
        return ToolResult.ok(found.get() == 0 ? "no file name matches '" + pattern + "'\n" : out.text());
    }
}
