package org.crustyclaw.tools.builtin;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolContext;
import org.crustyclaw.api.tool.ToolName;
import org.crustyclaw.api.tool.ToolResult;
import org.osgi.service.component.annotations.Component;

/** {@code file_search_content}: lines of text files that match a regular expression or a literal. */
@Component(service = org.crustyclaw.api.tool.ToolAdapter.class)
@ToolName("file_search_content")
public final class FileSearchContentTool extends BuiltinTool {

    static final long MAX_FILE_BYTES = 4L << 20;

    public FileSearchContentTool() {
        super("file_search_content", "Searches the text files of the workspace for lines matching a regular"
                + " expression (or a literal string), printing path:line: text.",
                new Schema().string("pattern", true, "Java regular expression, or the literal text with literal=true")
                        .bool("literal", "treat pattern as plain text (default false)")
                        .bool("ignore_case", "match regardless of case (default false)")
                        .string("path", false, "directory to search from (default: the workspace)")
                        .string("glob", false, "only files whose name matches this glob, e.g. '*.java'")
                        .integer("max_results", 1, 10_000, "at most this many matching lines (default 200)"),
                List.of("fs.read"), SideEffects.NONE);
    }

    @Override
    ToolResult run(Schema.Args args, ToolContext context) throws Workspace.Refused {
        Workspace ws = Workspace.of(context.workspace());
        int flags = args.bool("ignore_case", false) ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
        Pattern pattern;
        try {
            pattern = args.bool("literal", false) ? Pattern.compile(Pattern.quote(args.string("pattern")), flags)
                    : Pattern.compile(args.string("pattern"), flags);
        } catch (PatternSyntaxException e) {
            return ToolResult.failed("file_search_content: argument 'pattern' is not a regular expression: "
                    + e.getDescription() + " near index " + e.getIndex() + "; use literal=true for plain text");
        }
        Optional<PathMatcher> glob;
        try {
            glob = args.optString("glob").map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g));
        } catch (IllegalArgumentException e) {
            return ToolResult.failed("file_search_content: argument 'glob' is not a glob: " + e.getMessage());
        }
        long max = args.integer("max_results", 200);
        Capped out = new Capped(context.maxOutputChars());
        AtomicInteger found = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger();
        Walk.walk(ws, args.string("path", "."), 64, (path, a, dir, name) -> {
            if (!a.isRegularFile() || glob.map(g -> !g.matches(Path.of(name))).orElse(false)) {
                return true;
            }
            if (a.size() > MAX_FILE_BYTES) {
                skipped.incrementAndGet();
                return true;
            }
            Workspace.Read read;
            try {
                read = ws.read(dir, name, path, MAX_FILE_BYTES);
            } catch (Workspace.Refused changed) {
                skipped.incrementAndGet();
                return true;
            }
            if (read.binary()) {
                return true;
            }
            String[] lines = new String(read.bytes(), StandardCharsets.UTF_8).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (pattern.matcher(lines[i]).find()) {
                    out.line(path + ":" + (i + 1) + ": " + Json.clip(lines[i]));
                    if (found.incrementAndGet() >= max) {
                        out.line("[stopped at max_results=" + max + "]");
                        return false;
                    }
                }
            }
            return true;
        });
        String note = skipped.get() > 0 ? "[" + skipped.get() + " file(s) over " + MAX_FILE_BYTES
                + " bytes not searched]\n" : "";
        return ToolResult.ok((found.get() == 0 ? "no line matches\n" : out.text()) + note);
    }
}
