package org.crustyclaw.sandbox.microvm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.crustyclaw.api.sandbox.SandboxException;

/** Releasing what a VM holds on the host (its VMM process, socket, run directory), reading its logs, host tools. */
final class Host {

    private Host() {}

    static void killNow(Process process) {
        process.destroyForcibly();
        boolean interrupted = false;
        while (true) {
            try {
                process.waitFor(10, TimeUnit.SECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover log file is harmless; the socket is gone with QEMU
        }
    }

    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** An executable on PATH, or in /usr/sbin and /sbin where e2fsprogs puts its tools. */
    static Optional<Path> findTool(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs a host tool to its end with a watchdog and, when {@code maxFileBytes} is below
     * {@link Long#MAX_VALUE}, a file size limit (RLIMIT_FSIZE). Waiting survives an interrupt
     * (the flag is kept): a tool half done would leave the workspace half copied.
     *
     * @throws SandboxException naming {@code what}, the status and the tool's output
     */
    static void runTool(List<String> argv, Duration timeout, long maxFileBytes, String what) throws SandboxException {
        List<String> command = new ArrayList<>();
        if (maxFileBytes < Long.MAX_VALUE) {
            command.addAll(List.of("/bin/sh", "-c", "ulimit -f \"$1\" && shift && exec \"$@\"", "sh",
                    Long.toString(maxFileBytes / 512 + 1)));
        }
        command.addAll(argv);
        Path log = null;
        try {
            log = Files.createTempFile("cc-tool-", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean interrupted = false;
            boolean done = false;
            while (!done) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    done = process.waitFor(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (!done) {
                killNow(process);
                throw new SandboxException(what + ": " + argv.get(0) + " did not finish within " + timeout.toSeconds()
                        + " s; killed it");
            }
            if (process.exitValue() != 0) {
                throw new SandboxException(what + ": " + String.join(" ", argv) + " failed with status "
                        + process.exitValue() + ": " + tail(log));
            }
        } catch (IOException e) {
            throw new SandboxException(what + ": cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        } finally {
            if (log != null) {
                log.toFile().delete();
            }
        }
    }

    /** The last 2 KiB of a log, on one line, for error messages. */
    static String tail(Path file) {
        return tail(file, 2048);
    }

    static String tail(Path file, int max) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, f.length() - max);
            byte[] bytes = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
            return text.isEmpty() ? "(empty)" : text;
        } catch (IOException e) {
            return "(no " + file.getFileName() + ")";
        }
    }
}
