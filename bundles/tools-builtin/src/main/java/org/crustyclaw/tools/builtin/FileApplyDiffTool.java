package org.crustyclaw.tools.builtin;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolContext;
import org.crustyclaw.api.tool.ToolName;
import org.crustyclaw.api.tool.ToolResult;
import org.osgi.service.component.annotations.Component;

/**
 * {@code file_apply_diff}: applies a unified diff to files of the workspace. Every hunk of every
 * file is applied in memory first; only when all apply is anything written, so a diff that
 * does not fit leaves the workspace as it was.
 */
@Component(service = org.crustyclaw.api.tool.ToolAdapter.class)
@ToolName("file_apply_diff")
public final class FileApplyDiffTool extends BuiltinTool {

    public FileApplyDiffTool() {
        super("file_apply_diff", "Applies a unified diff (as 'git diff' or 'diff -u' print it) to files of the"
                + " workspace; all hunks must apply or nothing is changed. /dev/null creates or deletes a file.",
                new Schema().string("diff", true, "the unified diff text, paths relative to the workspace"
                        + " (a/ and b/ prefixes are stripped)"),
                List.of("fs.write"), SideEffects.WORKSPACE);
    }

    @Override
    ToolResult run(Schema.Args args, ToolContext context) throws Workspace.Refused, SandboxException {
        Workspace ws = Workspace.of(context.workspace());
        List<UnifiedDiff.FilePatch> patches;
        try {
            patches = UnifiedDiff.parse(args.string("diff"));
        } catch (UnifiedDiff.BadDiff e) {
            return ToolResult.failed("file_apply_diff: argument 'diff' is not a unified diff: " + e.getMessage());
        }
        Map<String, Optional<String>> results = new LinkedHashMap<>();
        List<String> summary = new ArrayList<>();
        for (UnifiedDiff.FilePatch p : patches) {
            String path = Workspace.join(ws.components(p.path()));
            if (p.oldPath().isPresent() && p.newPath().isPresent()
                    && !Workspace.join(ws.components(p.oldPath().get())).equals(path)) {
                return ToolResult.failed("file_apply_diff: renames are not supported (" + p.oldPath().get() + " -> "
                        + p.newPath().get() + "); write the new file and delete the old one");
            }
            Optional<String> current = results.containsKey(path) ? results.get(path) : read(ws, path);
            if (p.oldPath().isEmpty() && current.isPresent()) {
                return ToolResult.failed("file_apply_diff: the diff creates " + path + " but it exists");
            }
            if (p.oldPath().isPresent() && current.isEmpty()) {
                return ToolResult.failed("file_apply_diff: the diff changes " + path + " but it does not exist");
            }
            UnifiedDiff.Text after;
            try {
                after = UnifiedDiff.apply(UnifiedDiff.Text.of(current.orElse("")), p);
            } catch (UnifiedDiff.BadDiff e) {
                return ToolResult.failed("file_apply_diff: " + e.getMessage() + "; nothing was changed");
            }
            if (p.newPath().isEmpty()) {
                if (!after.lines().isEmpty()) {
                    return ToolResult.failed("file_apply_diff: the diff deletes " + path + " but leaves "
                            + after.lines().size() + " line(s) in it; nothing was changed");
                }
                results.put(path, Optional.empty());
                summary.add("deleted " + path);
            } else {
                results.put(path, Optional.of(after.render()));
                summary.add((current.isEmpty() ? "created " : "patched ") + path + " (" + p.hunks().size()
                        + " hunk(s))");
            }
        }
        for (Map.Entry<String, Optional<String>> r : results.entrySet()) {
            if (r.getValue().isPresent()) {
                List<String> comps = ws.components(r.getKey());
                if (comps.size() > 1) {
                    FileWriteTool.makeDirectories(ws, Workspace.join(comps.subList(0, comps.size() - 1)), context);
                }
                ws.write(r.getKey(), r.getValue().get().getBytes(StandardCharsets.UTF_8));
            } else {
                try (Workspace.Entry e = ws.locate(r.getKey(), false)) {
                    ws.delete(e);
                }
            }
        }
        return ToolResult.ok(String.join("\n", summary) + "\n");
    }

    private static Optional<String> read(Workspace ws, String path) throws Workspace.Refused {
        try (Workspace.Entry e = ws.locate(path, true)) {
            if (e.attributes().isEmpty()) {
                return Optional.empty();
            }
            Workspace.Read r = ws.read(e, FileWriteTool.MAX_BYTES + 1L);
            if (!r.complete() || r.binary()) {
                throw new Workspace.Refused("'" + path + "' is " + (r.binary() ? "binary" : "over "
                        + FileWriteTool.MAX_BYTES + " bytes") + "; the diff tool patches text files only");
            }
            return Optional.of(new String(r.bytes(), StandardCharsets.UTF_8));
        } catch (Workspace.Refused e) {
            if (e.getMessage().startsWith("directory '") && e.getMessage().endsWith("does not exist")) {
                return Optional.empty();
            }
            throw e;
        } catch (java.io.IOException e) {
            throw new Workspace.Refused("'" + path + "' could not be read: " + e.getMessage());
        }
    }
}
