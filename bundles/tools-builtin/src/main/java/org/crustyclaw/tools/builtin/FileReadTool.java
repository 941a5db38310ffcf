package org.crustyclaw.tools.builtin;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolContext;
import org.crustyclaw.api.tool.ToolName;
import org.crustyclaw.api.tool.ToolResult;
import org.osgi.service.component.annotations.Component;

/** {@code file_read}: a text file of the workspace, whole or a range of lines. */
@Component(service = org.crustyclaw.api.tool.ToolAdapter.class)
@ToolName("file_read")
public final class FileReadTool extends BuiltinTool {

    public FileReadTool() {
        super("file_read", "Reads a text file of the workspace, optionally from a line and for a number of lines.",
                new Schema().string("path", true, "file path relative to the workspace")
                        .integer("start_line", 1, Integer.MAX_VALUE, "first line to show, 1-based (default 1)")
                        .integer("max_lines", 1, 100_000, "how many lines to show (default: all that fit)"),
                List.of("fs.read"), SideEffects.NONE);
    }

    @Override
    ToolResult run(Schema.Args args, ToolContext context) throws Workspace.Refused {
        Workspace ws = Workspace.of(context.workspace());
        int max = context.maxOutputChars();
        long start = args.integer("start_line", 1);
        long lines = args.integer("max_lines", Long.MAX_VALUE);
        // Whole lines from start_line on need the bytes before them too; 4 bytes a character at most.
        long budget = start == 1 ? 4L * max + 4 : 64L << 20;
        Workspace.Read read = ws.read(args.string("path"), budget);
        if (read.binary()) {
            return ToolResult.failed("file_read: '" + read.path() + "' is binary (" + read.size()
                    + " bytes); only text files are read");
        }
        String text = new String(read.bytes(), StandardCharsets.UTF_8);
        String[] all = text.split("\n", -1);
        int total = all.length - (text.endsWith("\n") ? 1 : 0);
        if (start > Math.max(total, 1)) {
            return ToolResult.failed("file_read: argument 'start_line' is " + start + " but '" + read.path()
                    + "' has " + total + " lines");
        }
        if (!read.complete()) {
            total--; // the last line read may be cut
        }
        // whole lines only, and room for the note, so the model can continue where it stopped
        int room = max > 600 ? max - 200 : Math.max(1, max / 2);
        StringBuilder body = new StringBuilder();
        long last = start - 1;
        long shown = 0;
        for (int i = (int) start - 1; i < total && shown < lines; i++, shown++) {
            if (body.length() + all[i].length() + 1 > room) {
                if (shown == 0) {
                    body.append(all[i], 0, room).append("\n[line ").append(i + 1).append(" is ")
                            .append(all[i].length()).append(" characters; only the first ").append(room)
                            .append(" are shown]\n");
                    last = i + 1;
                }
                break;
            }
            body.append(all[i]).append('\n');
            last = i + 1;
        }
        boolean more = last < total || !read.complete();
        if (more && shown < lines) {
            body.append("[output truncated: showed lines ").append(start).append('-').append(last).append(" of ")
                    .append(read.complete() ? total + " lines" : "a file of " + read.size() + " bytes")
                    .append("; continue with start_line=").append(last + 1).append("]\n");
        }
        return ToolResult.ok(body.toString());
    }
}
