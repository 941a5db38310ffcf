package org.crustyclaw.tools.builtin;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * A depth-first walk of a workspace directory through open directory handles: symbolic
 * links are reported, never followed, and a directory swapped for a link mid-walk is skipped.
 * Entries come sorted by name so results are stable.
 */
final class Walk {

    interface Visitor {
        /** @return false to stop the walk */
        boolean visit(String path, BasicFileAttributes attributes, SecureDirectoryStream<Path> dir, String name)
                throws Workspace.Refused;
    }

    private Walk() {}

    static void walk(Workspace ws, String start, int depth, Visitor visitor) throws Workspace.Refused {
        List<String> base = ws.components(start);
        try (SecureDirectoryStream<Path> dir = ws.directory(start)) {
            walk(ws, dir, base, depth, visitor);
        } catch (IOException e) {
            throw new Workspace.Refused("'" + start + "' could not be listed: " + e.getMessage());
        }
    }

    private static boolean walk(Workspace ws, SecureDirectoryStream<Path> dir, List<String> at, int depth,
            Visitor visitor) throws Workspace.Refused {
        List<String> names = new ArrayList<>();
        for (Path p : dir) {
            names.add(p.getFileName().toString());
        }
        names.sort(null);
        for (String name : names) {
            BasicFileAttributes a = Workspace.attributesOrNull(dir, name);
            if (a == null) {
                continue;
            }
            List<String> here = new ArrayList<>(at);
            here.add(name);
            if (!visitor.visit(Workspace.join(here), a, dir, name)) {
                return false;
            }
            if (a.isDirectory() && !a.isSymbolicLink() && depth > 1 && !name.equals(".git")) {
                SecureDirectoryStream<Path> sub;
                try {
                    sub = ws.openDir(dir, name, here);
                } catch (Workspace.Refused changed) {
                    continue;
                }
                try (sub) {
                    if (!walk(ws, sub, here, depth - 1, visitor)) {
                        return false;
                    }
                } catch (IOException e) {
                    // closing a directory handle
                }
            }
        }
        return true;
    }
}
