package org.crustyclaw.sandbox.bwrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.sandbox.lines.BoundedLineSplitter;
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
    private final Duration startTimeout;
    private final Executor pumps;
    private final ScheduledExecutorService timers;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final AtomicBoolean used = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private BwrapSandbox(Process process, Launch launch) {
        this.process = process;
        this.cgroup = launch.cgroup();
        this.workspace = launch.workspace();
        this.limits = launch.limits();
        this.grace = launch.grace();
        this.startTimeout = launch.startTimeout();
        this.pumps = launch.pumps();
        this.timers = launch.timers();
        this.stdin = process.getOutputStream();
        this.stdout = process.getInputStream();
        this.stderr = process.getErrorStream();
    }

    /**
     * What a sandbox is started with: the host command, its (made) cgroup, and the backend's
     * shared threads: {@code pumps} for output, {@code timers} for start watchdogs and for
     * removing the groups of finished sandboxes.
     */
    record Launch(ProcessBuilder builder, Cgroup cgroup, Path workspace, ResourceLimits limits,
            Duration grace, Duration startTimeout, Executor pumps, ScheduledExecutorService timers,
            java.util.Optional<BwrapCommand.Egress> egress) {}

    /** Starts the sandbox and waits until the shell inside answers, so it is ready to exec. */
    static BwrapSandbox prepare(Launch launch) throws SandboxException {
        BwrapSandbox sandbox = start(launch);
        sandbox.awaitReady(BwrapCommand.READY_LINE, false);
        return sandbox;
    }

    /**
     * Starts a sandbox and runs its command. The command script follows the readiness line
     * on stdin at once: the shell inside runs it as soon as bwrap has set the sandbox up,
     * with no round trip through the daemon in between.
     */
    static ExecResult run(Launch launch, List<String> command, Map<String, String> environment,
            Consumer<OutputLine> lines) throws SandboxException {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command is empty: give the program to run");
        }
        String script = BwrapCommand.script(launch.workspace(), command, environment, launch.egress());
        BwrapSandbox sandbox = start(launch);
        sandbox.used.set(true);
        try {
            sandbox.awaitReady(BwrapCommand.READY_LINE + script, true);
            return sandbox.await(lines);
        } finally {
            sandbox.close();
        }
    }

    private static BwrapSandbox start(Launch launch) throws SandboxException {
        Process process;
        try {
            process = launch.builder().start();
        } catch (IOException e) {
            boolean interrupted = Thread.interrupted();
            removeQuietly(launch.cgroup());
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            throw new SandboxException("cannot start " + launch.builder().command().get(0) + ": " + e.getMessage(), e);
        }
        return new BwrapSandbox(process, launch);
    }

    /**
     * Writes {@code input} to the shell inside ({@code last}: and closes its stdin) and reads
     * its first line, which must be {@link BwrapCommand#READY}. A sandbox that hangs while
     * starting is killed after the start timeout, which frees the pipe read here.
     */
    private void awaitReady(String input, boolean last) throws SandboxException {
        AtomicBoolean answered = new AtomicBoolean();
        Runnable giveUp = () -> {
            if (!answered.get()) {
                killAll();
            }
        };
        // a sandbox that dies while starting closes the pipe by itself (bwrap's children die with it)
        ScheduledFuture<?> watchdog = timers.schedule(giveUp, startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        String first;
        try {
            try {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
                stdin.flush();
                if (last) {
                    stdin.close();
                }
            } catch (IOException e) {
                // died while starting: its first line (none) and stderr say why
            }
            first = BoundedLineSplitter.readLine(stdout);
            answered.set(true);
        } catch (IOException e) {
            first = null;
        } finally {
            watchdog.cancel(false);
        }
        if (!BwrapCommand.READY.equals(first)) {
            String errors = errors();
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
        try {
            if (!process.isAlive()) {
                String errors = errors();
                throw new SandboxException("the bwrap sandbox died before its command started (exit "
                        + process.exitValue() + ")" + (errors.isEmpty() ? "" : ": " + errors));
            }
            try {
                stdin.write(script.getBytes(StandardCharsets.UTF_8));
                stdin.close();
            } catch (IOException e) {
                throw new SandboxException("the bwrap sandbox closed its input before its command started", e);
            }
            return await(lines);
        } finally {
            close();
        }
    }

    /** The first lines of stderr (bounded, like all sandbox output), joined, for a message saying why it died. */
    private String errors() {
        try {
            return String.join("; ", BoundedLineSplitter.readLines(stderr, 20));
        } catch (IOException e) {
            return "";
        }
    }

    /** Forwards the output of the command, which is starting now, and waits for its end. */
    private ExecResult await(Consumer<OutputLine> lines) {
        long started = System.nanoTime();
        boolean cancelled = false;
        Object lock = new Object();
        OutputPump out = OutputPump.start(pumps, stdout, OutputLine.Stream.STDOUT, lines, lock);
        OutputPump err = OutputPump.start(pumps, stderr, OutputLine.Stream.STDERR, lines, lock);
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
        ExecResult result = new ExecResult(exit, ending, elapsed, cgroup.peakMemoryBytes());
        if (cancelled) {
            Thread.currentThread().interrupt();
        }
        return result;
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

    /**
     * SIGKILL to bwrap and to everything in the group. Through the process handle: {@code
     * Process.destroyForcibly()} also closes our ends of the pipes, which would drop output the
     * sandbox wrote before it died (a trap's last words on cancel) before the pumps read it.
     */
    private void killAll() {
        if (process.isAlive()) {
            process.toHandle().destroyForcibly();
        }
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
            removeLater();
        } catch (InterruptedException e) {
            interrupted = true;
            removeQuietly(cgroup);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Removes the (now empty) group off the caller's path: the result is known and every
     * process of the sandbox is gone, only the directory is left.
     */
    private void removeLater() {
        try {
            timers.execute(() -> removeQuietly(cgroup));
        } catch (RejectedExecutionException e) {
            removeQuietly(cgroup);
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
