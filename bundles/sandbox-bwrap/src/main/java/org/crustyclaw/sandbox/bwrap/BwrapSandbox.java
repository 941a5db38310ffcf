package org.crustyclaw.sandbox.bwrap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.PreparedSandbox;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.SandboxException;

/**
 * One started bwrap sandbox: its process tree lives in its own cgroup, which is how the
 * whole tree is counted, limited and killed, even processes that left their parent.
 */
final class BwrapSandbox implements PreparedSandbox {

    private final Process process;
    private final Cgroup cgroup;
    private final Path workspace;
    private final ResourceLimits limits;
    private final Duration grace;
    private final BufferedReader stdout;
    private final BufferedReader stderr;
    private final AtomicBoolean used = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private BwrapSandbox(Process process, Cgroup cgroup, Path workspace, ResourceLimits limits, Duration grace) {
        this.process = process;
        this.cgroup = cgroup;
        this.workspace = workspace;
        this.limits = limits;
        this.grace = grace;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.stderr = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    }

    /** Starts the sandbox and waits until the shell inside answers, so it is ready to exec. */
    static BwrapSandbox start(ProcessBuilder builder, Cgroup cgroup, Path workspace, ResourceLimits limits,
            Duration grace, Duration startTimeout) throws SandboxException {
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            boolean interrupted = Thread.interrupted();
            removeQuietly(cgroup);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            throw new SandboxException("cannot start " + builder.command().get(0) + ": " + e.getMessage(), e);
        }
        BwrapSandbox sandbox = new BwrapSandbox(process, cgroup, workspace, limits, grace);
        sandbox.awaitReady(startTimeout);
        return sandbox;
    }

    private void awaitReady(Duration startTimeout) throws SandboxException {
        AtomicBoolean answered = new AtomicBoolean();
        Thread watchdog = new Thread(() -> {
            try {
                process.waitFor(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!answered.get()) {
                    killAll(); // died or hung while starting: free the pipe that the reader waits on
                }
            } catch (InterruptedException e) {
                // the sandbox answered in time
            }
        }, "bwrap-start-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        String first;
        try {
            first = stdout.readLine();
            answered.set(true);
        } catch (IOException e) {
            first = null;
        } finally {
            watchdog.interrupt();
        }
        if (!BwrapCommand.READY.equals(first)) {
            String errors = stderr.lines().limit(20).collect(Collectors.joining("; "));
            close();
            throw new SandboxException("the bwrap sandbox did not become ready within " + startTimeout.toMillis()
                    + " ms (exit " + process.exitValue() + ")"
                    + (errors.isEmpty() ? "" : ": " + errors));
        }
    }

    @Override
    public String backend() {
        return BwrapBackend.NAME;
    }

    @Override
    public Path workspace() {
        return workspace;
    }

    @Override
    public ExecResult exec(List<String> command, Map<String, String> environment, Consumer<OutputLine> lines)
            throws SandboxException {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command is empty: give the program to run");
        }
        String script = BwrapCommand.script(workspace, command, environment);
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("this sandbox already ran a command; sandboxes are never reused");
        }
        long started = System.nanoTime();
        boolean cancelled = false;
        try {
            if (!process.isAlive()) {
                String errors = stderr.lines().limit(20).collect(Collectors.joining("; "));
                throw new SandboxException("the bwrap sandbox died before its command started (exit "
                        + process.exitValue() + ")" + (errors.isEmpty() ? "" : ": " + errors));
            }
            Object lock = new Object();
            OutputPump out = new OutputPump(stdout, OutputLine.Stream.STDOUT, lines, lock);
            OutputPump err = new OutputPump(stderr, OutputLine.Stream.STDERR, lines, lock);
            try (OutputStream in = process.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new SandboxException("the bwrap sandbox closed its input before its command started", e);
            }
            ExecResult.Ending ending;
            try {
                ending = process.waitFor(limits.timeout().toMillis(), TimeUnit.MILLISECONDS) ? ExecResult.Ending.EXITED
                        : ExecResult.Ending.TIMED_OUT;
                if (ending == ExecResult.Ending.TIMED_OUT) {
                    killAll();
                }
            } catch (InterruptedException e) {
                cancelled = true;
                terminateThenKill();
                ending = ExecResult.Ending.CANCELLED;
            }
            out.drain(2000);
            err.drain(2000);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            if (ending == ExecResult.Ending.EXITED && cgroup.oomKills() > 0) {
                ending = ExecResult.Ending.OUT_OF_MEMORY;
            }
            int exit = ending == ExecResult.Ending.EXITED || ending == ExecResult.Ending.OUT_OF_MEMORY
                    ? process.exitValue() : -1;
            return new ExecResult(exit, ending, elapsed, cgroup.peakMemoryBytes());
        } finally {
            close();
            if (cancelled) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGTERM to the command's processes (not to bwrap, whose death would SIGKILL them), then SIGKILL. */
    private void terminateThenKill() {
        for (long pid : cgroup.pids()) {
            if (!isBwrap(pid)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            }
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()
                && !cgroup.pids().stream().allMatch(BwrapSandbox::isBwrap)) {
            sleep(20);
        }
        killAll();
    }

    /** By /proc/PID/comm: ProcessHandle.info() cannot always read processes in another user namespace. */
    private static boolean isBwrap(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm"), StandardCharsets.US_ASCII).trim().equals("bwrap");
        } catch (IOException e) {
            return true; // gone already
        }
    }

    private void killAll() {
        process.destroyForcibly();
        for (int round = 0; round < 200; round++) {
            List<Long> pids = cgroup.pids();
            if (pids.isEmpty()) {
                return;
            }
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            sleep(round < 20 ? 1 : 10);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // cleanup must finish even for an interrupted caller (a cancelled run, a pool shutting down):
        // set the flag aside, or every wait below would return at once and leave the cgroup behind
        boolean interrupted = Thread.interrupted();
        try {
            killAll();
            process.waitFor(2, TimeUnit.SECONDS);
            removeQuietly(cgroup);
        } catch (InterruptedException e) {
            interrupted = true;
            removeQuietly(cgroup);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void removeQuietly(Cgroup cgroup) {
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                cgroup.remove();
                return;
            } catch (IOException e) {
                sleep(attempt < 50 ? 1 : 20); // the kernel lets a group go only once its last task is reaped
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
