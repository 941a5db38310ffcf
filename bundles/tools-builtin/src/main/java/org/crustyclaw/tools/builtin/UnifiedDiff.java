package org.crustyclaw.tools.builtin;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A unified diff (as {@code diff -u} and {@code git diff} write it), parsed strictly: hunk
 * line counts must match their headers. Applying it needs every context and removed line to
 * match exactly; a hunk may have moved (other edits above it) and is then searched for.
 */
final class UnifiedDiff {

    private static final Pattern HUNK = Pattern.compile("@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@.*");

    /** One file's change; an empty old path creates the file, an empty new path deletes it. */
    record FilePatch(Optional<String> oldPath, Optional<String> newPath, List<Hunk> hunks) {
        String path() {
            return newPath.or(() -> oldPath).orElseThrow();
        }
    }

    record Hunk(int oldStart, List<String> oldLines, List<String> newLines, boolean oldNoEol, boolean newNoEol,
            String header) {}

    /** File content as lines, and whether the last line ended with a newline. */
    record Text(List<String> lines, boolean finalNewline) {
        static Text of(String s) {
            if (s.isEmpty()) {
                return new Text(List.of(), true);
            }
            boolean nl = s.endsWith("\n");
            List<String> lines = List.of((nl ? s.substring(0, s.length() - 1) : s).split("\n", -1));
            return new Text(lines, nl);
        }

        String render() {
            if (lines.isEmpty()) {
                return "";
            }
            return String.join("\n", lines) + (finalNewline ? "\n" : "");
        }
    }

    static final class BadDiff extends Exception {
        private static final long serialVersionUID = 1L;

        BadDiff(String message) {
            super(message);
        }
    }

    private UnifiedDiff() {}

    static List<FilePatch> parse(String diff) throws BadDiff {
        String text = diff.replace("\r\n", "\n");
        // the newline that ends the text ends its last line; it starts no empty context line
        String[] lines = (text.endsWith("\n") ? text.substring(0, text.length() - 1) : text).split("\n", -1);
        List<FilePatch> out = new ArrayList<>();
        int i = 0;
        while (i < lines.length) {
            if (!lines[i].startsWith("--- ")) {
                i++;
                continue;
            }
            if (i + 1 >= lines.length || !lines[i + 1].startsWith("+++ ")) {
                throw new BadDiff("line " + (i + 1) + ": '---' is not followed by a '+++' line");
            }
            Optional<String> oldPath = path(lines[i].substring(4));
            Optional<String> newPath = path(lines[i + 1].substring(4));
            if (oldPath.isEmpty() && newPath.isEmpty()) {
                throw new BadDiff("line " + (i + 1) + ": both sides are /dev/null");
            }
            i += 2;
            List<Hunk> hunks = new ArrayList<>();
            while (i < lines.length && lines[i].startsWith("@@")) {
                Matcher m = HUNK.matcher(lines[i]);
                if (!m.matches()) {
                    throw new BadDiff("line " + (i + 1) + ": hunk header '" + Json.clip(lines[i])
                            + "' is not '@@ -start,count +start,count @@'");
                }
                String header = lines[i];
                int oldCount = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
                int newCount = m.group(4) == null ? 1 : Integer.parseInt(m.group(4));
                List<String> oldL = new ArrayList<>();
                List<String> newL = new ArrayList<>();
                boolean oldNoEol = false;
                boolean newNoEol = false;
                char lastKind = ' ';
                i++;
                while (i < lines.length && (oldL.size() < oldCount || newL.size() < newCount
                        || lines[i].startsWith("\\"))) {
                    String l = lines[i];
                    if (l.startsWith("\\")) {
                        if (lastKind != '+') {
                            oldNoEol = true;
                        }
                        if (lastKind != '-') {
                            newNoEol = true;
                        }
                    } else if (l.startsWith("+")) {
                        newL.add(l.substring(1));
                    } else if (l.startsWith("-")) {
                        oldL.add(l.substring(1));
                    } else if (l.startsWith(" ") || l.isEmpty()) {
                        // an empty line is a context line whose leading space an editor stripped
                        String c = l.isEmpty() ? "" : l.substring(1);
                        oldL.add(c);
                        newL.add(c);
                    } else {
                        throw new BadDiff("line " + (i + 1) + ": '" + Json.clip(l)
                                + "' starts with none of ' ', '+', '-' inside hunk " + header);
                    }
                    lastKind = l.isEmpty() ? ' ' : l.charAt(0);
                    i++;
                }
                if (oldL.size() != oldCount || newL.size() != newCount) {
                    throw new BadDiff("hunk " + header + " of " + newPath.or(() -> oldPath).orElseThrow()
                            + " has " + oldL.size() + " old and " + newL.size() + " new lines; its header says "
                            + oldCount + " and " + newCount);
                }
                hunks.add(new Hunk(Integer.parseInt(m.group(1)), oldL, newL, oldNoEol, newNoEol, header));
            }
            if (hunks.isEmpty()) {
                throw new BadDiff("file " + newPath.or(() -> oldPath).orElseThrow() + " has no hunk ('@@' line)");
            }
            out.add(new FilePatch(oldPath, newPath, hunks));
        }
        if (out.isEmpty()) {
            throw new BadDiff("no file header ('--- a/path' then '+++ b/path') found; expected a unified diff");
        }
        return out;
    }

    private static Optional<String> path(String field) {
        String p = field;
        int tab = p.indexOf('\t');
        if (tab >= 0) {
            p = p.substring(0, tab);
        }
        p = p.strip();
        if (p.equals("/dev/null")) {
            return Optional.empty();
        }
        if (p.startsWith("a/") || p.startsWith("b/")) {
            p = p.substring(2);
        }
        return Optional.of(p);
    }

    /** The patched text, or the reason a hunk does not apply. */
    static Text apply(Text before, FilePatch patch) throws BadDiff {
        List<String> lines = new ArrayList<>(before.lines());
        boolean finalNewline = before.finalNewline();
        int offset = 0;
        int n = 0;
        for (Hunk h : patch.hunks()) {
            n++;
            int expected = Math.max(0, h.oldStart() - 1 + offset);
            if (h.oldLines().isEmpty() && h.oldStart() == 0) {
                expected = 0;
            }
            int at = find(lines, h.oldLines(), expected);
            if (at < 0) {
                throw new BadDiff("hunk " + n + " of " + patch.path() + " (" + h.header() + ") does not apply: "
                        + mismatch(lines, h.oldLines(), expected));
            }
            for (int k = 0; k < h.oldLines().size(); k++) {
                lines.remove(at);
            }
            lines.addAll(at, h.newLines());
            offset += h.newLines().size() - h.oldLines().size() + (at - expected);
            if (at + h.newLines().size() == lines.size()) {
                if (h.newNoEol()) {
                    finalNewline = false;
                } else if (h.oldNoEol() || !h.newLines().isEmpty()) {
                    finalNewline = true;
                }
            }
        }
        return new Text(lines, finalNewline);
    }

    private static int find(List<String> lines, List<String> want, int expected) {
        if (matches(lines, want, expected)) {
            return expected;
        }
        for (int d = 1; d <= lines.size(); d++) {
            if (matches(lines, want, expected - d)) {
                return expected - d;
            }
            if (matches(lines, want, expected + d)) {
                return expected + d;
            }
        }
        return -1;
    }

    private static boolean matches(List<String> lines, List<String> want, int at) {
        if (at < 0 || at + want.size() > lines.size()) {
            return false;
        }
        for (int k = 0; k < want.size(); k++) {
            if (!lines.get(at + k).equals(want.get(k))) {
                return false;
            }
        }
        return true;
    }

    private static String mismatch(List<String> lines, List<String> want, int at) {
        for (int k = 0; k < want.size(); k++) {
            int line = at + k;
            if (line >= lines.size()) {
                return "the file ends at line " + lines.size() + " but the hunk expects '" + Json.clip(want.get(k))
                        + "' at line " + (line + 1);
            }
            if (!lines.get(line).equals(want.get(k))) {
                return "line " + (line + 1) + " is '" + Json.clip(lines.get(line)) + "', the hunk expects '"
                        + Json.clip(want.get(k)) + "' (and the lines were found nowhere else in the file)";
            }
        }
        return "the hunk's lines were found nowhere in the file";
    }
}
