package org.crustyclaw.sandbox.bwrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.crustyclaw.api.sandbox.ResourceLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BwrapCommandTest {

    private static final BwrapCommand.Host HOST = new BwrapCommand.Host(Path.of("/usr/bin/bwrap"),
            Path.of("/usr/bin/setpriv"), Optional.of(new int[] {65534, 65534}),
            List.of(BwrapCommand.ReadOnlyPath.bind("/usr"), new BwrapCommand.ReadOnlyPath("/bin", Optional.of("/usr/bin"))),
            Path.of("/x/etc"));

    @Test
    void startsBwrapWithEveryNamespaceNoCapabilitiesAndTheFilter() {
        List<String> argv = BwrapCommand.argv(HOST, Path.of("/work/ws"), 65534, 65534, ResourceLimits.DEFAULT);
        String line = String.join(" ", argv);
        assertThat(line).contains("--reuid=65534 --regid=65534 --clear-groups")
                .contains("--unshare-all --unshare-user")
                .contains("--die-with-parent --new-session --cap-drop ALL --clearenv --seccomp 9")
                .contains("--ro-bind-try /usr /usr --symlink /usr/bin /bin")
                .contains("--bind /work/ws /work/ws --chdir /work/ws --remount-ro /")
                .contains("--size " + ResourceLimits.DEFAULT.diskBytes() + " --tmpfs /tmp");
        assertThat(argv.indexOf("--unshare-all")).isGreaterThan(argv.indexOf("/usr/bin/bwrap"));
        assertThat(argv.subList(argv.size() - 3, argv.size())).containsExactly("--", "/bin/sh", "-s");
    }

    @Test
    void aSymlinkIntoABoundDirectoryStaysASymlinkAndEverythingElseIsBound(@TempDir Path root) throws IOException {
        Path usr = Files.createDirectories(root.resolve("usr/bin"));
        Path bin = Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
        Path outside = Files.createDirectories(root.resolve("elsewhere/lib"));
        Path lib = Files.createSymbolicLink(root.resolve("lib"), outside);
        Path dangling = Files.createSymbolicLink(root.resolve("gone"), root.resolve("nothing"));
        List<BwrapCommand.ReadOnlyPath> paths = BwrapBackend.readOnlyPaths(List.of(root.resolve("usr").toString(),
                bin.toString(), lib.toString(), dangling.toString(), root.resolve("missing").toString()));
        assertThat(paths).containsExactly(BwrapCommand.ReadOnlyPath.bind(root.resolve("usr").toString()),
                new BwrapCommand.ReadOnlyPath(bin.toString(), Optional.of(usr.toRealPath().toString())),
                BwrapCommand.ReadOnlyPath.bind(lib.toString()),
                BwrapCommand.ReadOnlyPath.bind(dangling.toString()),
                BwrapCommand.ReadOnlyPath.bind(root.resolve("missing").toString()));
    }

    @Test
    void quotingSurvivesARealShell() throws Exception {
        String nasty = "it's $HOME `id` \"q\" \\ ; & | * \n end";
        Process p = new ProcessBuilder("/bin/sh", "-c", "printf %s " + BwrapCommand.quote(nasty)).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(out).isEqualTo(nasty);
    }

    @Test
    void scriptSetsExactlyTheGivenEnvironment() throws IOException, InterruptedException {
        String script = BwrapCommand.script(Path.of("/tmp"), List.of("/usr/bin/env"), Map.of("GREETING", "a b'c"));
        Process p = new ProcessBuilder("/usr/bin/env", "-i", "/bin/sh", "-s").start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(out).contains("GREETING=a b'c\n").contains("PATH=" + BwrapCommand.DEFAULT_PATH)
                .contains("HOME=/tmp");
    }

    @Test
    void rejectsAnEnvironmentNameTheShellWouldMisread() {
        assertThatThrownBy(() -> BwrapCommand.script(Path.of("/tmp"), List.of("true"), Map.of("A;rm", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'A;rm'");
    }
}
