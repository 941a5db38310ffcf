package org.crustyclaw.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.crustyclaw.api.tool.ToolResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Path traversal and symlink escapes against the file tools, on the real file system. */
class WorkspaceConfinementTest {

    @TempDir
    Path tmp;
    Path ws;
    Path outside;
    TestContext ctx;

    @BeforeEach
    void layout() throws IOException {
        ws = Files.createDirectory(tmp.resolve("ws"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "TOP SECRET\n");
        Files.createDirectories(ws.resolve("src/inner"));
        Files.writeString(ws.resolve("src/inner/a.txt"), "inside\n");
        ctx = TestContext.files(ws, 10_000);
    }

    ToolResult read(String path) throws Exception {
        return ctx.call(new FileReadTool(), Map.of("path", path));
    }

    @Test
    void dotDotIsRefusedEvenWhenItWouldStayInside() throws Exception {
        ToolResult r = read("../outside/secret.txt");
        assertThat(r.error()).isTrue();
        assertThat(r.text()).contains("contains '..'");
        assertThat(read("src/../src/inner/a.txt").text()).contains("contains '..'");
    }

    @Test
    void absolutePathsOutsideAreRefusedAndInsideAccepted() throws Exception {
        ToolResult out = read(outside.resolve("secret.txt").toString());
        assertThat(out.error()).isTrue();
        assertThat(out.text()).contains("is outside the workspace").doesNotContain("TOP SECRET");
        assertThat(read("/etc/passwd").text()).contains("is outside the workspace");
        ToolResult in = read(ws.resolve("src/inner/a.txt").toString());
        assertThat(in.error()).isFalse();
        assertThat(in.text()).isEqualTo("inside\n");
    }

    @Test
    void symlinksLeadingOutAreRefusedWhereverTheyAre() throws Exception {
        Files.createSymbolicLink(ws.resolve("leak.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(ws.resolve("src/up"), Path.of("../../outside"));
        Files.createSymbolicLink(ws.resolve("etc"), Path.of("/etc"));
        for (String p : new String[] {"leak.txt", "src/up/secret.txt", "etc/passwd"}) {
            ToolResult r = read(p);
            assertThat(r.error()).as(p).isTrue();
            assertThat(r.text()).as(p).contains("leads outside the workspace").doesNotContain("TOP SECRET");
        }
        ToolResult write = ctx.call(new FileWriteTool(), Map.of("path", "src/up/secret.txt", "content", "pwned"));
        assertThat(write.text()).contains("leads outside the workspace");
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("TOP SECRET\n");
        ToolResult list = ctx.call(new FileListTool(), Map.of("path", "src/up"));
        assertThat(list.text()).contains("leads outside the workspace");
    }

    @Test
    void symlinksThatStayInsideAreFollowed() throws Exception {
        Files.createSymbolicLink(ws.resolve("alias"), Path.of("src/inner"));
        Files.createSymbolicLink(ws.resolve("src/inner/b.txt"), Path.of("a.txt"));
        assertThat(read("alias/b.txt").text()).isEqualTo("inside\n");
    }

    @Test
    void writingOverALinkReplacesTheLinkAndNeverItsTarget() throws Exception {
        Files.createSymbolicLink(ws.resolve("out.txt"), outside.resolve("secret.txt"));
        ToolResult r = ctx.call(new FileWriteTool(), Map.of("path", "out.txt", "content", "mine\n"));
        assertThat(r.error()).as(r.text()).isFalse();
        assertThat(Files.isSymbolicLink(ws.resolve("out.txt"))).isFalse();
        assertThat(Files.readString(ws.resolve("out.txt"))).isEqualTo("mine\n");
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("TOP SECRET\n");
    }

    /** The check passes on a real directory, then it becomes a link to outside before the open. */
    @Test
    void aDirectorySwappedForALinkAfterTheCheckIsNotFollowed() throws Exception {
        Files.createDirectory(ws.resolve("swap"));
        Files.writeString(ws.resolve("swap/secret.txt"), "harmless\n");
        AtomicBoolean swapped = new AtomicBoolean();
        Workspace racy = Workspace.of(ws, path -> {
            if (path.equals("swap") && swapped.compareAndSet(false, true)) {
                swapForLink(ws.resolve("swap"), outside);
            }
        });
        Workspace.Refused refused = org.junit.jupiter.api.Assertions.assertThrows(Workspace.Refused.class,
                () -> racy.read("swap/secret.txt", 1000));
        assertThat(swapped).isTrue();
        assertThat(refused.getMessage()).contains("became a symbolic link while it was being opened");
        // and a walk that only checked the name would have read the secret through the new link
        assertThat(Files.readString(ws.resolve("swap/secret.txt"))).isEqualTo("TOP SECRET\n");
    }

    @Test
    void aFileSwappedForALinkAfterTheCheckIsNotFollowed() throws Exception {
        Files.writeString(ws.resolve("f.txt"), "harmless\n");
        AtomicBoolean swapped = new AtomicBoolean();
        Workspace racy = Workspace.of(ws, path -> {
            if (path.equals("f.txt") && swapped.compareAndSet(false, true)) {
                swapForLink(ws.resolve("f.txt"), outside.resolve("secret.txt"));
            }
        });
        Workspace.Refused refused = org.junit.jupiter.api.Assertions.assertThrows(Workspace.Refused.class,
                () -> racy.read("f.txt", 1000));
        assertThat(swapped).isTrue();
        assertThat(refused.getMessage()).contains("became a symbolic link");
    }

    @Test
    void listingShowsLinksWithoutFollowingThem() throws Exception {
        Files.createSymbolicLink(ws.resolve("src/up"), outside);
        ToolResult r = ctx.call(new FileListTool(), Map.of("depth", 5));
        assertThat(r.text()).contains("d src/", "d src/inner/", "f src/inner/a.txt (7 bytes)",
                "l src/up -> " + outside).doesNotContain("secret.txt");
        ToolResult search = ctx.call(new FileSearchContentTool(), Map.of("pattern", "SECRET"));
        assertThat(search.text()).isEqualTo("no line matches\n");
    }

    private static void swapForLink(Path path, Path target) {
        try {
            if (Files.isDirectory(path)) {
                try (var s = Files.list(path)) {
                    for (Path p : s.toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.delete(path);
            Files.createSymbolicLink(path, target);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
