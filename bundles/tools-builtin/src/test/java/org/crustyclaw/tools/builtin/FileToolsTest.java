package org.crustyclaw.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolAdapter;
import org.crustyclaw.api.tool.ToolCall;
import org.crustyclaw.api.tool.ToolException;
import org.crustyclaw.api.tool.ToolResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileToolsTest {

    static final List<ToolAdapter> ALL = List.of(new FileReadTool(), new FileWriteTool(), new FileListTool(),
            new FileSearchNameTool(), new FileSearchContentTool(), new FileApplyDiffTool(), new ShellTool(),
            new GitStatusTool(), new GitDiffTool(), new GitLogTool(), new GitAddTool(), new GitCommitTool(),
            new HttpFetchTool());

    @TempDir
    Path ws;
    TestContext ctx;

    @BeforeEach
    void context() {
        ctx = TestContext.files(ws, 2000);
    }

    @Test
    void everyDescriptorCarriesAValidJsonSchemaThatForbidsUnknownArguments() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (ToolAdapter t : ALL) {
            JsonNode schema = json.readTree(t.descriptor().inputSchema());
            assertThat(schema.get("type").asText()).as(t.descriptor().name()).isEqualTo("object");
            assertThat(schema.get("additionalProperties").asBoolean(true)).isFalse();
            schema.get("required").forEach(r -> assertThat(schema.get("properties").has(r.asText())).isTrue());
        }
        assertThat(ALL.stream().map(t -> t.descriptor().name()).distinct()).hasSize(13);
        assertThat(new HttpFetchTool().descriptor().sideEffects()).isEqualTo(SideEffects.EXTERNAL);
        assertThat(new FileReadTool().descriptor().sideEffects()).isEqualTo(SideEffects.NONE);
        assertThat(new FileWriteTool().descriptor().sideEffects()).isEqualTo(SideEffects.WORKSPACE);
    }

    @Test
    void badArgumentsAreNamedWithWhatWasExpected() throws Exception {
        assertThat(ctx.call(new FileReadTool(), Map.of()).text())
                .startsWith("file_read: argument 'path' is missing; expected a string");
        assertThat(ctx.call(new FileReadTool(), Map.of("path", 42)).text())
                .isEqualTo("file_read: argument 'path' is the number 42; expected a string");
        assertThat(ctx.call(new FileReadTool(), Map.of("path", "a", "mode", "x")).text())
                .isEqualTo("file_read: unknown argument 'mode'; expected only path, start_line, max_lines");
        assertThat(ctx.call(new FileListTool(), Map.of("depth", 99)).text())
                .isEqualTo("file_list: argument 'depth' is 99; expected an integer from 1 to 10");
        assertThat(ctx.call(new FileListTool(), Map.of("depth", 1.5)).text())
                .isEqualTo("file_list: argument 'depth' is the number 1.5; expected an integer from 1 to 10");
        assertThat(ctx.call(new GitAddTool(), Map.of("paths", List.of("a", 3))).text())
                .isEqualTo("git_add: argument 'paths[1]' is the number 3; expected a string without NUL");
        assertThat(ctx.call(new GitAddTool(), Map.of("paths", List.of())).text())
                .isEqualTo("git_add: argument 'paths' has 0 items; expected an array of 1 to 1000 strings");
        assertThat(ctx.call(new FileSearchContentTool(), Map.of("pattern", "(unclosed")).text())
                .contains("argument 'pattern' is not a regular expression");
        ToolResult r = ctx.call(new FileWriteTool(), Map.of("path", "x.txt", "content", List.of("no")));
        assertThat(r.error()).isTrue();
        assertThat(r.text()).isEqualTo("file_write: argument 'content' is an array; expected a string");
        assertThat(ws.resolve("x.txt")).doesNotExist();
    }

    @Test
    void aCallForAnotherToolOrWithoutRoomForOutputIsAProgrammingError() {
        org.junit.jupiter.api.Assertions.assertThrows(ToolException.class,
                () -> new FileReadTool().call(new ToolCall("1", "file_write", Map.of()), ctx));
        ToolException noRoom = org.junit.jupiter.api.Assertions.assertThrows(ToolException.class,
                () -> new FileReadTool().call(new ToolCall("2", "file_read", Map.of("path", "x")),
                        TestContext.files(ws, 0)));
        assertThat(noRoom.getMessage()).contains("output cap is 0 characters");
    }

    @Test
    void writesReadsAndReadsARangeOfLines() throws Exception {
        ToolResult w = ctx.call(new FileWriteTool(), Map.of("path", "notes.txt", "content", "one\ntwo\nthree\n"));
        assertThat(w.text()).isEqualTo("created notes.txt (14 bytes)");
        assertThat(ctx.call(new FileWriteTool(), Map.of("path", "notes.txt", "content", "1\n2\n3\n4\n")).text())
                .isEqualTo("replaced notes.txt (8 bytes)");
        assertThat(ctx.call(new FileReadTool(), Map.of("path", "notes.txt")).text()).isEqualTo("1\n2\n3\n4\n");
        assertThat(ctx.call(new FileReadTool(), Map.of("path", "notes.txt", "start_line", 2, "max_lines", 2)).text())
                .isEqualTo("2\n3\n");
        assertThat(ctx.call(new FileReadTool(), Map.of("path", "notes.txt", "start_line", 9)).text())
                .contains("'start_line' is 9 but 'notes.txt' has 4 lines");
        assertThat(ctx.call(new FileReadTool(), Map.of("path", "missing.txt")).text()).contains("does not exist");
        try (var s = Files.list(ws)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
    }

    @Test
    void oversizedOutputIsCutWithANoteTheModelCanSee() throws Exception {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            big.append("line number ").append(i).append('\n');
        }
        Files.writeString(ws.resolve("big.txt"), big);
        ToolResult r = ctx.call(new FileReadTool(), Map.of("path", "big.txt"));
        assertThat(r.error()).isFalse();
        assertThat(r.text()).startsWith("line number 0\n").endsWith(
                "line number 118\n[output truncated: showed lines 1-119 of a file of 15890 bytes; continue with"
                        + " start_line=120]\n");
        assertThat(r.text().length()).isLessThanOrEqualTo(2000);
        ToolResult next = ctx.call(new FileReadTool(), Map.of("path", "big.txt", "start_line", 120, "max_lines", 2));
        assertThat(next.text()).isEqualTo("line number 119\nline number 120\n");
        for (int i = 0; i < 300; i++) {
            Files.writeString(ws.resolve("f" + i + ".txt"), "needle " + i + "\n");
        }
        ToolResult s = ctx.call(new FileSearchContentTool(), Map.of("pattern", "needle", "max_results", 5000));
        assertThat(s.text()).contains("[output truncated:");
        assertThat(s.text().length()).isLessThanOrEqualTo(2000);
    }

    @Test
    void binaryFilesAreNotReadAsText() throws Exception {
        Files.write(ws.resolve("blob.bin"), new byte[] {1, 2, 0, 3});
        assertThat(ctx.call(new FileReadTool(), Map.of("path", "blob.bin")).text())
                .isEqualTo("file_read: 'blob.bin' is binary (4 bytes); only text files are read");
    }

    @Test
    void searchesByNameAndByContent() throws Exception {
        Files.createDirectories(ws.resolve("src/main"));
        Files.writeString(ws.resolve("src/main/App.java"), "class App {\n  // TODO fix\n}\n");
        Files.writeString(ws.resolve("src/main/notes.md"), "todo later\n");
        Files.writeString(ws.resolve("README.md"), "hello\n");
        assertThat(ctx.call(new FileSearchNameTool(), Map.of("pattern", "*.md")).text())
                .isEqualTo("README.md\nsrc/main/notes.md\n");
        assertThat(ctx.call(new FileSearchNameTool(), Map.of("pattern", "main/*.java", "path", "src")).text())
                .isEqualTo("src/main/App.java\n");
        assertThat(ctx.call(new FileSearchContentTool(), Map.of("pattern", "todo", "ignore_case", true)).text())
                .isEqualTo("src/main/App.java:2:   // TODO fix\nsrc/main/notes.md:1: todo later\n");
        assertThat(ctx.call(new FileSearchContentTool(), Map.of("pattern", "App {", "literal", true,
                "glob", "*.java")).text()).isEqualTo("src/main/App.java:1: class App {\n");
        assertThat(ctx.call(new FileSearchNameTool(), Map.of("pattern", "*.rs")).text())
                .isEqualTo("no file name matches '*.rs'\n");
    }

    @Test
    void writingIntoAMissingDirectoryNeedsTheSandboxAndSaysSoWithoutOne() throws Exception {
        ToolResult r = ctx.call(new FileWriteTool(), Map.of("path", "new/dir/f.txt", "content", "x"));
        assertThat(r.error()).isTrue();
        assertThat(r.text()).contains("sandbox").contains("no sandbox backend in this test");
        assertThat(ws.resolve("new")).doesNotExist();
        ToolResult off = ctx.call(new FileWriteTool(), Map.of("path", "new/f.txt", "content", "x",
                "create_dirs", false));
        assertThat(off.text()).isEqualTo("directory 'new' does not exist");
    }

    @Test
    void httpFetchIsRefusedWithTheReasonUntilAnEgressServiceExists() throws Exception {
        ToolResult r = ctx.call(new HttpFetchTool(), Map.of("url", "https://example.com/"));
        assertThat(r.error()).isTrue();
        assertThat(r.text()).isEqualTo(HttpFetchTool.REFUSAL).contains("no egress session");
        assertThat(ctx.call(new HttpFetchTool(), Map.of("url", "file:///etc/passwd")).text())
                .contains("expected an http or https URL");
        assertThat(ctx.commands).isEmpty();
    }
}
