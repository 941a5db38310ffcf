package org.crustyclaw.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.crustyclaw.api.tool.ToolResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Diffs made by the real {@code diff -u} and {@code git diff}, applied by the tool. */
class FileApplyDiffTest {

    @TempDir
    Path tmp;
    Path ws;
    TestContext ctx;

    @BeforeEach
    void workspace() throws IOException {
        ws = Files.createDirectory(tmp.resolve("ws"));
        ctx = TestContext.files(ws, 100_000);
    }

    static String lines(int from, int to, String tag) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i <= to; i++) {
            b.append(tag).append(i).append('\n');
        }
        return b.toString();
    }

    /** Runs a host program and returns its stdout; diff exits 1 when the files differ. */
    static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        assertThat(code).as("%s: %s", List.of(command), out).isLessThanOrEqualTo(1);
        return out;
    }

    @Test
    void appliesARealDiffWithSeveralHunksAndMovedContext() throws Exception {
        String before = lines(1, 60, "line ");
        String after = before.replace("line 5\n", "line five\n").replace("line 40\n", "line 40\nnew 40a\n")
                .replace("line 58\n", "");
        Path a = Files.writeString(tmp.resolve("a.txt"), before);
        Path b = Files.writeString(tmp.resolve("b.txt"), after);
        String diff = run(tmp, "diff", "-u", "--label", "a/app.txt", "--label", "b/app.txt", a.toString(),
                b.toString());
        // the file in the workspace has three more lines at the top: every hunk has moved
        Files.writeString(ws.resolve("app.txt"), "head 1\nhead 2\nhead 3\n" + before);
        ToolResult r = ctx.call(new FileApplyDiffTool(), Map.of("diff", diff));
        assertThat(r.error()).as(r.text()).isFalse();
        assertThat(r.text()).isEqualTo("patched app.txt (3 hunk(s))\n");
        assertThat(Files.readString(ws.resolve("app.txt"))).isEqualTo("head 1\nhead 2\nhead 3\n" + after);
    }

    @Test
    void appliesAGitDiffThatCreatesChangesAndDeletesFiles() throws Exception {
        Path repo = Files.createDirectory(tmp.resolve("repo"));
        run(repo, "git", "init", "-q");
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/Main.java"), "class Main {\n    void run() {\n    }\n}\n");
        Files.writeString(repo.resolve("old.txt"), "bye\n");
        Files.writeString(repo.resolve("tail.txt"), "no newline at the end");
        run(repo, "git", "add", "-A");
        run(repo, "git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base");
        copy(repo, ws);
        Files.writeString(repo.resolve("src/Main.java"),
                "class Main {\n    void run() {\n        System.out.println(\"hi\");\n    }\n}\n");
        Files.delete(repo.resolve("old.txt"));
        Files.createDirectories(repo.resolve("docs/new"));
        Files.writeString(repo.resolve("docs/new/guide.md"), "# Guide\n");
        Files.writeString(repo.resolve("tail.txt"), "still no newline, changed");
        run(repo, "git", "add", "-A");
        String diff = run(repo, "git", "diff", "--cached", "--no-color");
        assertThat(diff).contains("--- /dev/null", "+++ /dev/null", "\\ No newline at end of file");

        // new directories are made in the sandbox; without one the diff is refused before any write
        ToolResult refused = ctx.call(new FileApplyDiffTool(), Map.of("diff", diff));
        assertThat(refused.error()).isTrue();
        Files.createDirectories(ws.resolve("docs/new"));
        ToolResult r = ctx.call(new FileApplyDiffTool(), Map.of("diff", diff));
        assertThat(r.error()).as(r.text()).isFalse();
        assertThat(r.text()).contains("created docs/new/guide.md", "deleted old.txt", "patched src/Main.java",
                "patched tail.txt");
        assertThat(Files.readString(ws.resolve("src/Main.java"))).isEqualTo(Files.readString(repo.resolve(
                "src/Main.java")));
        assertThat(Files.readString(ws.resolve("tail.txt"))).isEqualTo("still no newline, changed");
        assertThat(Files.readString(ws.resolve("docs/new/guide.md"))).isEqualTo("# Guide\n");
        assertThat(ws.resolve("old.txt")).doesNotExist();
    }

    @Test
    void aHunkThatDoesNotFitChangesNothingAnywhere() throws Exception {
        Files.writeString(ws.resolve("one.txt"), "a\nb\nc\n");
        Files.writeString(ws.resolve("two.txt"), "x\ny\nz\n");
        String diff = """
                --- a/one.txt
                +++ b/one.txt
                @@ -1,3 +1,3 @@
                 a
                -b
                +B
                 c
                --- a/two.txt
                +++ b/two.txt
                @@ -1,3 +1,3 @@
                 x
                -not there
                +Y
                 z
                """;
        ToolResult r = ctx.call(new FileApplyDiffTool(), Map.of("diff", diff));
        assertThat(r.error()).isTrue();
        assertThat(r.text()).contains("hunk 1 of two.txt", "line 2 is 'y', the hunk expects 'not there'",
                "nothing was changed");
        assertThat(Files.readString(ws.resolve("one.txt"))).isEqualTo("a\nb\nc\n");
    }

    @Test
    void malformedDiffsAndEscapingPathsAreRefused() throws Exception {
        assertThat(ctx.call(new FileApplyDiffTool(), Map.of("diff", "just some text")).text())
                .contains("argument 'diff' is not a unified diff: no file header");
        assertThat(ctx.call(new FileApplyDiffTool(), Map.of("diff", "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n x\n")).text())
                .contains("has 1 old and 1 new lines; its header says 2 and 2");
        assertThat(ctx.call(new FileApplyDiffTool(), Map.of("diff",
                "--- /dev/null\n+++ b/../escape.txt\n@@ -0,0 +1 @@\n+x\n")).text()).contains("contains '..'");
        assertThat(tmp.resolve("escape.txt")).doesNotExist();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var all = Files.walk(from)) {
            for (Path p : all.filter(p -> !p.toString().contains("/.git")).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
