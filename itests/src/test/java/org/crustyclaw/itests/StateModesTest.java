package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.crustyclaw.itests.Installation.Result;
import org.junit.jupiter.api.Test;

/**
 * The state directory holds the audit log, approvals and secrets: {@code 0700}, with the
 * database and the logs {@code 0600}, checked at every start: a readable one is fixed (and
 * {@code start} says so), one that others may write to is refused (issue 8).
 */
class StateModesTest {

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static void chmod(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    @Test
    void aDaemonKeepsItsStateOwnerOnlyAndFixesAReadableOne() throws IOException {
        try (Installation dist = Installation.create("modes")) {
            dist.start();
            Result audit = dist.run("audit", "verify");
            assertThat(audit.exit()).as("%s", audit).isZero();
            assertThat(mode(dist.state)).isEqualTo("rwx------");
            Path db = dist.state.resolve("crustyclaw.db");
            assertThat(mode(db)).isEqualTo("rw-------");
            assertThat(mode(dist.state.resolve("crustyclaw.db-wal"))).isEqualTo("rw-------");
            assertThat(mode(dist.log())).isEqualTo("rw-------");
            assertThat(mode(dist.state.resolve("logs/daemon.out"))).isEqualTo("rw-------");
            try (Stream<Path> files = Files.list(dist.state)) {
                assertThat(files.filter(Files::isRegularFile)).allSatisfy(f -> assertThat(mode(f)).endsWith("------"));
            }
            assertThat(dist.run("stop").exit()).isZero();

            // as a umask 022 or a careless chmod -R leaves it
            chmod(dist.state, "rwxr-xr-x");
            chmod(db, "rw-r--r--");
            chmod(dist.log(), "rw-r--r--");
            Result again = dist.run("start");
            assertThat(again.exit()).as("%s", again).isZero();
            assertThat(again.err()).contains("readable by other users; fixed: " + dist.state + " was rwxr-xr-x, now rwx------")
                    .contains(db + " was rw-r--r--, now rw-------");
            assertThat(mode(dist.state)).isEqualTo("rwx------");
            assertThat(mode(db)).isEqualTo("rw-------");
            assertThat(mode(dist.log())).isEqualTo("rw-------");
        }
    }

    @Test
    void aStateDirectoryOthersMayWriteToIsRefused() throws IOException {
        try (Installation dist = Installation.create("modes-refused")) {
            chmod(dist.state, "rwxrwxrwx");
            Result r = dist.run("start");
            assertThat(r.exit()).as("%s", r).isEqualTo(1);
            assertThat(r.err()).contains("state directory " + dist.state + " is rwxrwxrwx").contains("expected rwx------");
            assertThat(dist.socket()).as("no daemon started").doesNotExist();
            assertThat(mode(dist.state)).as("left for the owner to inspect").isEqualTo("rwxrwxrwx");
        }
    }
}
