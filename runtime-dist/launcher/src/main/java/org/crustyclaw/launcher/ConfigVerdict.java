package org.crustyclaw.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * How {@code start} tells the daemon it spawned that the configuration passed the check it ran
 * while the daemon's JVM booted, so the daemon does not parse every jar's metatype a second
 * time: a file {@code <state>/run/config-checked-TOKEN}, the token on the daemon's command line.
 * The daemon starts its bundles only once the file is there; if {@code start} ends without
 * writing it (a broken file: it stops the daemon; or it was killed) the daemon checks itself.
 */
final class ConfigVerdict {

    /** System property of a daemon spawned by {@code start}: the token of its verdict file. */
    static final String TOKEN = "crustyclaw.configCheckToken";
    /** System property of a daemon spawned by {@code start}: the pid of that {@code start}. */
    static final String CHECKER = "crustyclaw.configCheckerPid";

    private ConfigVerdict() {}

    /** In {@code start}, once the configuration passed. */
    static void passed(Layout layout, String token) throws IOException {
        Files.createDirectories(layout.runDir());
        Files.setPosixFilePermissions(layout.runDir(), PosixFilePermissions.fromString("rwx------"));
        Path temp = Files.createTempFile(layout.runDir(), "config-checked-", ".tmp");
        try {
            Files.move(temp, file(layout, token), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** In the daemon: true once {@code start} said the configuration passed, false when it ended without saying so. */
    static boolean awaitPassed(Layout layout, String token, long checkerPid) {
        Path file = file(layout, token);
        Optional<ProcessHandle> checker = ProcessHandle.of(checkerPid);
        while (true) {
            boolean checking = checker.map(ProcessHandle::isAlive).orElse(false);
            if (Files.exists(file)) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a stale file in the run directory; it names no other daemon
                }
                return true;
            }
            if (!checking) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private static Path file(Layout layout, String token) {
        if (!token.matches("[0-9a-f-]{36}")) {
            throw new IllegalArgumentException("not a verdict token: " + token);
        }
        return layout.runDir().resolve("config-checked-" + token);
    }
}
