package org.crustyclaw.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.crustyclaw.api.tool.ToolResult;
import org.crustyclaw.sandbox.bwrap.BwrapBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** shell, git and directory creation in the real bwrap sandbox, the workspace bound at its own path. */
class SandboxToolsTest {

    private static BwrapBackend backend;

    @TempDir
    Path tmp;
    Path ws;
    TestContext ctx;

    @BeforeAll
    static void activate() throws IOException {
        backend = new BwrapBackend(TestContext.defaults(BwrapBackend.Config.class));
        assumeTrue(backend.unavailableBecause().isEmpty(),
                () -> "bwrap backend unavailable here: " + backend.unavailableBecause().orElse(""));
    }

    @AfterAll
    static void deactivate() throws IOException {
        if (backend != null) {
            backend.deactivate();
        }
    }

    @BeforeEach
    void workspace() throws IOException {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        ws = Files.createDirectory(tmp.resolve("ws"));
        TestContext.giveToSandboxUser(ws);
        ctx = new TestContext(ws, backend, 4000);
    }

    ToolResult shell(String command) throws Exception {
        return ctx.call(new ShellTool(), Map.of("command", command));
    }

    @Test
    void shellRunsInTheSandboxInTheWorkspaceAndStreamsItsOutput() throws Exception {
        ToolResult r = shell("pwd; echo made > made.txt; echo oops >&2; ls /root/.ssh 2>&1 | head -1");
        assertThat(r.error()).as(r.text()).isFalse();
        assertThat(r.text()).startsWith("exit code 0\n").contains(ws + "\n", "[stderr] oops\n",
                "cannot access '/root/.ssh'");
        assertThat(Files.readString(ws.resolve("made.txt"))).isEqualTo("made\n");
        assertThat(ctx.progress).contains(ws.toString(), "[stderr] oops");
        assertThat(ctx.commands).singleElement().satisfies(c -> assertThat(c.subList(0, 2)).containsExactly(
                "/bin/sh", "-c"));
        ToolResult net = shell("cat /proc/net/route | wc -l; exit 3");
        assertThat(net.error()).isTrue();
        assertThat(net.text()).startsWith("exit code 3\n1\n");
    }

    @Test
    void shellOutputIsCappedInTheResultWithANote() throws Exception {
        ToolResult r = shell("seq 1 20000");
        assertThat(r.error()).isFalse();
        assertThat(r.text()).contains("[output truncated:").hasSizeLessThanOrEqualTo(4000);
        assertThat(ctx.progress).hasSize(20000).endsWith("20000");
    }

    @Test
    void fileWriteMakesMissingDirectoriesInsideTheSandbox() throws Exception {
        ToolResult r = ctx.call(new FileWriteTool(), Map.of("path", "a/b/c.txt", "content", "deep\n"));
        assertThat(r.error()).as(r.text()).isFalse();
        assertThat(Files.readString(ws.resolve("a/b/c.txt"))).isEqualTo("deep\n");
        assertThat(ctx.commands).singleElement().satisfies(c -> assertThat(c).containsExactly("mkdir", "-p", "--",
                ws.resolve("a/b").toString()));
        // the sandbox may change what the tool wrote
        assertThat(shell("echo more >> a/b/c.txt").error()).isFalse();
        assertThat(Files.readString(ws.resolve("a/b/c.txt"))).isEqualTo("deep\nmore\n");
    }

    @Test
    void gitToolsWorkOnARealRepositoryAndCommitOnABranch() throws Exception {
        ToolResult init = shell("git init -q -b main . && git -c user.name=t -c user.email=t@t commit -q"
                + " --allow-empty -m base && echo ok");
        assertThat(init.text()).as(init.text()).contains("ok");
        assertThat(ctx.call(new FileWriteTool(), Map.of("path", "hello.txt", "content", "hello\n")).error()).isFalse();
        ToolResult status = ctx.call(new GitStatusTool(), Map.of());
        assertThat(status.text()).contains("## main", "?? hello.txt");
        ToolResult add = ctx.call(new GitAddTool(), Map.of("paths", List.of("hello.txt")));
        assertThat(add.text()).contains("A  hello.txt");
        ToolResult staged = ctx.call(new GitDiffTool(), Map.of("staged", true));
        assertThat(staged.text()).contains("+++ b/hello.txt", "+hello");
        ToolResult commit = ctx.call(new GitCommitTool(), Map.of("message", "Say hello", "branch", "agent/hello"));
        assertThat(commit.error()).as(commit.text()).isFalse();
        assertThat(commit.text()).startsWith("committed ").contains(" on agent/hello: Say hello");
        ToolResult log = ctx.call(new GitLogTool(), Map.of("max_count", 5));
        assertThat(log.text()).contains(Git.AUTHOR_NAME + ": Say hello", "t: base");
        assertThat(ctx.call(new GitStatusTool(), Map.of()).text()).isEqualTo("## agent/hello\n");
        // the model may not smuggle options or paths outside through the arguments
        assertThat(ctx.call(new GitAddTool(), Map.of("paths", List.of("../x"))).text()).contains("contains '..'");
        assertThat(ctx.call(new GitCommitTool(), Map.of("message", "x", "branch", "--force")).text())
                .contains("argument 'branch' is '--force'");
        ToolResult nothing = ctx.call(new GitCommitTool(), Map.of("message", "again"));
        assertThat(nothing.error()).isTrue();
        assertThat(nothing.text()).contains("git_commit: git failed (exit code 1)", "nothing to commit");
    }

    @Test
    void gitCommitRefusesADetachedHead() throws Exception {
        shell("git init -q -b main . && git -c user.name=t -c user.email=t@t commit -q --allow-empty -m base"
                + " && git checkout -q --detach");
        ToolResult r = ctx.call(new GitCommitTool(), Map.of("message", "x"));
        assertThat(r.error()).isTrue();
        assertThat(r.text()).contains("HEAD is detached");
    }
}
