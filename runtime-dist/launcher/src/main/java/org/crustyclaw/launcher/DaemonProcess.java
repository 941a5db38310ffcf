package org.crustyclaw.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A daemon started in the background by {@code start}, not as our child but as a child of a
 * short-lived {@code sh} that prints its pid and exits. Why: a JVM that exits while one of its
 * threads sits in native code waits 300 ms for it (HotSpot's {@code VM_Exit}), and a live child
 * keeps the JDK's process reaper thread in {@code waitpid}; every {@code start} paid that.
 * The daemon's stdin is /dev/null, its output goes to {@code log}.
 */
final class DaemonProcess {

    /** $1 is the log, the rest the command. */
    private static final String SPAWN = "log=$1; shift; \"$@\" </dev/null >\"$log\" 2>&1 & echo $!";

    private final long pid;

    private DaemonProcess(long pid) {
        this.pid = pid;
    }

    static DaemonProcess spawn(List<String> command, Path log) throws IOException {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", SPAWN, "crustyclaw-start", log.toString()));
        argv.addAll(command);
        Process sh = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(sh.getInputStream(), StandardCharsets.UTF_8))) {
            line = out.readLine();
        }
        try {
            sh.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            return new DaemonProcess(Long.parseLong(line == null ? "" : line.strip()));
        } catch (NumberFormatException e) {
            throw new IOException("cannot start the daemon: /bin/sh printed no pid (" + line + ")");
        }
    }

    long pid() {
        return pid;
    }

    boolean isAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** SIGTERM, up to {@code timeout} for a drained stop, then SIGKILL. */
    void destroy(Duration timeout) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        handle.ifPresent(ProcessHandle::destroy);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        handle.ifPresent(ProcessHandle::destroyForcibly);
    }
}
