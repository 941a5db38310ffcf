package org.crustyclaw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirTest {

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aNewStateDirectoryIsOwnerOnly(@TempDir Path dir) throws IOException {
        Path state = dir.resolve("a/state");
        assertThat(StateDir.secure(state)).isEmpty();
        assertThat(mode(state)).isEqualTo("rwx------");
    }

    @Test
    void aReadableOneIsFixedWithItsDatabaseAndLogsAndTheFixesAreNamed(@TempDir Path dir) throws IOException {
        Path state = Files.createDirectories(dir.resolve("state"));
        Path logs = Files.createDirectories(state.resolve("logs"));
        Path db = Files.writeString(state.resolve("crustyclaw.db"), "x");
        Path log = Files.writeString(logs.resolve("crustyclaw.log"), "x");
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-r-----"));

        List<String> fixed = StateDir.secure(state);

        assertThat(mode(state)).isEqualTo("rwx------");
        assertThat(mode(logs)).isEqualTo("rwx------");
        assertThat(mode(db)).isEqualTo("rw-------");
        assertThat(mode(log)).isEqualTo("rw-------");
        assertThat(fixed).hasSize(4).anySatisfy(f -> assertThat(f).isEqualTo(db + " was rw-r--r--, now rw-------"));
        assertThat(StateDir.secure(state)).as("nothing left to fix").isEmpty();
    }

    @Test
    void oneOthersMayWriteToIsRefusedAndLeftAsItIs(@TempDir Path dir) throws IOException {
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThatThrownBy(() -> StateDir.secure(state)).isInstanceOf(StateDir.Refused.class)
                .hasMessageContaining(state + " is rwxrwxr-x").hasMessageContaining("expected rwx------");
        assertThat(mode(state)).isEqualTo("rwxrwxr-x");
    }

    @Test
    void aSymbolicLinkIsRefused(@TempDir Path dir) throws IOException {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("state"), real);
        assertThatThrownBy(() -> StateDir.secure(link)).isInstanceOf(StateDir.Refused.class)
                .hasMessageContaining("symbolic link");
    }

    @Test
    void oneOwnedBySomeoneElseIsRefused(@TempDir Path dir) throws IOException {
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        org.junit.jupiter.api.Assumptions.assumeTrue(me == 0, "only root can give a directory away");
        Files.setAttribute(state, "unix:uid", 65534);
        assertThatThrownBy(() -> StateDir.secure(state)).isInstanceOf(StateDir.Refused.class)
                .hasMessageContaining("belongs to uid 65534");
    }

    @Test
    void anOwnerOnlyFileIsCreatedSoOrTightened(@TempDir Path dir) throws IOException {
        Path fresh = dir.resolve("daemon.out");
        StateDir.ownerOnlyFile(fresh);
        assertThat(mode(fresh)).isEqualTo("rw-------");
        Path old = Files.writeString(dir.resolve("old.log"), "x");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
        StateDir.ownerOnlyFile(old);
        assertThat(mode(old)).isEqualTo("rw-------");
    }
}
