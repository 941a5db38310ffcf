package org.crustyclaw.sandbox.microvm;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.sandbox.lines.BoundedLineSplitter;
import org.crustyclaw.api.sandbox.PreparedSandbox;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.sandbox.SandboxSpec;

/**
 * One microVM (QEMU or Firecracker, see {@link VmLaunch}), booted to the agent's READY, that
 * runs exactly one command and is then powered off and killed. Its run directory (socket,
 * logs, disk image) goes with it. A disk workspace is copied back once the VM is off, before
 * {@link #exec} returns.
 */
final class MicroVm implements PreparedSandbox {

    /** How long the guest gets to act on KILL or POWEROFF before QEMU itself is killed. */
    static final Duration GRACE = Duration.ofSeconds(3);
    private static final Object EOF = new Object();
    private static final String COMMAND_ID = "c1";

    private final String backend;
    private final VmLaunch line;
    private final Process process;
    private final AgentLink channel;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final AtomicBoolean used = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile ResourceLimits limits;
    private volatile Runnable onClose = () -> {};

    private MicroVm(String backend, VmLaunch line, Process process, AgentLink channel,
            ResourceLimits limits) {
        this.backend = backend;
        this.line = line;
        this.process = process;
        this.channel = channel;
        this.limits = limits;
    }

    /** Boots a VM for a workspace: what the QEMU and the Firecracker backend each do their own way. */
    interface Booter {
        MicroVm boot(Path workspace, ResourceLimits limits) throws SandboxException, InterruptedException;
    }

    /** A whole run: boot, the one command, shutdown; a boot cut short by an interrupt is a CANCELLED run. */
    static ExecResult runOnce(String backend, Booter booter, SandboxSpec spec, Consumer<OutputLine> lines)
            throws SandboxException {
        checkImage(backend, spec.image());
        long started = System.nanoTime();
        MicroVm vm;
        try {
            vm = booter.boot(spec.workspace(), spec.limits());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExecResult(-1, ExecResult.Ending.CANCELLED, Duration.ofNanos(System.nanoTime() - started), 0);
        }
        try (vm) {
            return vm.exec(spec.command(), spec.environment(), lines);
        }
    }

    /** A VM booted now for {@code workspace}; its one command runs at {@link PreparedSandbox#exec}. */
    static PreparedSandbox prepare(String backend, Booter booter, Path workspace, ResourceLimits limits, String image)
            throws SandboxException {
        checkImage(backend, image);
        try {
            return booter.boot(workspace, limits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while booting a " + backend + " VM for " + workspace, e);
        }
    }

    static void checkImage(String backend, String image) {
        if (!image.equals("base")) {
            throw new IllegalArgumentException("image '" + image + "' is not available in " + backend
                    + ": only 'base' (the busybox initramfs) is");
        }
    }

    /**
     * Starts the VMM and waits for the agent's READY; on any failure the VMM is killed and
     * the run directory removed before this returns.
     *
     * @throws SandboxException     when the VMM fails to start or the guest is not ready in time
     * @throws InterruptedException when the calling thread is interrupted while it waits
     */
    static MicroVm boot(String backend, VmLaunch line, Duration bootTimeout, ResourceLimits limits)
            throws SandboxException, InterruptedException {
        long deadline = System.nanoTime() + bootTimeout.toNanos();
        Process process;
        try {
            process = line.start(deadline);
        } catch (SandboxException | InterruptedException | RuntimeException e) {
            Host.deleteTree(line.runDir());
            throw e;
        }
        AgentLink channel;
        try {
            channel = line.connect(process, deadline);
        } catch (SandboxException | InterruptedException | RuntimeException e) {
            Host.killNow(process);
            Host.deleteTree(line.runDir());
            throw e;
        }
        MicroVm vm = new MicroVm(backend, line, process, channel, limits);
        vm.startReader();
        try {
            vm.awaitReady(deadline, bootTimeout);
        } catch (SandboxException | InterruptedException | RuntimeException e) {
            vm.shutdown(false);
            throw e;
        }
        return vm;
    }

    private void startReader() {
        Thread reader = new Thread(this::readLines, "microvm-agent-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    private void readLines() {
        try (InputStream in = new BufferedInputStream(channel.input())) {
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b != '\n') {
                    current.write(b);
                    if (current.size() > 64 * 1024) {
                        inbox.add(new IllegalArgumentException("the guest agent sent a line over 64 KiB"));
                        return;
                    }
                    continue;
                }
                String text = current.toString(StandardCharsets.UTF_8);
                current.reset();
                try {
                    inbox.add(GuestMessage.parse(text));
                } catch (IllegalArgumentException e) {
                    inbox.add(e);
                    return;
                }
            }
        } catch (IOException e) {
            // the channel was closed or QEMU died; EOF below tells the waiting side
        } finally {
            inbox.add(EOF);
        }
    }

    private void awaitReady(long deadline, Duration bootTimeout) throws SandboxException, InterruptedException {
        while (true) {
            long left = deadline - System.nanoTime();
            Object next = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                throw new SandboxException("the microVM did not boot within " + bootTimeout.toSeconds()
                        + " s (" + line.describe() + "); killed it. " + line.diagnostics());
            }
            if (next instanceof GuestMessage.Ready ready) {
                if (ready.version() != 1) {
                    throw new SandboxException("the guest agent speaks protocol " + ready.version()
                            + ", expected 1: rebuild the initramfs with scripts/setup-sandbox-host.sh");
                }
                return;
            }
            if (next == EOF) {
                throw new SandboxException("the microVM stopped while booting. " + line.diagnostics());
            }
            if (next instanceof IllegalArgumentException e) {
                throw new SandboxException(e.getMessage(), e);
            }
        }
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public Path workspace() {
        return line.workspace();
    }

    boolean alive() {
        return !closed.get() && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Adds an action run once when the VM is destroyed. */
    void onClose(Runnable action) {
        Runnable before = onClose;
        this.onClose = () -> {
            before.run();
            action.run();
        };
    }

    @Override
    public ExecResult exec(List<String> command, Map<String, String> environment, Consumer<OutputLine> lines)
            throws SandboxException {
        if (used.getAndSet(true)) {
            throw new IllegalStateException("a command already ran in this microVM; it is never reused");
        }
        if (line.disk().isEmpty()) {
            return runCommand(command, environment, lines);
        }
        // the workspace is a disk image: the VM must be off before the host reads it back
        ExecResult result;
        try {
            result = runCommand(command, environment, lines);
        } catch (SandboxException | RuntimeException e) {
            stop(true);
            try {
                line.disk().get().copyBack();
            } catch (SandboxException copy) {
                e.addSuppressed(copy);
            }
            throw e;
        }
        stop(true);
        try {
            line.disk().get().copyBack();
        } catch (SandboxException e) {
            throw new SandboxException("the command ended (" + result.ending() + ", status " + result.exitCode()
                    + ") but its workspace could not be copied back: " + e.getMessage(), e);
        }
        return result;
    }

    private ExecResult runCommand(List<String> command, Map<String, String> environment, Consumer<OutputLine> lines)
            throws SandboxException {
        long started = System.nanoTime();
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            return result(-1, ExecResult.Ending.CANCELLED, started);
        }
        if (!alive()) {
            throw new SandboxException("the microVM is no longer running (" + line.describe() + " pid "
                    + process.pid() + ")");
        }
        ResourceLimits l = limits;
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c",
                "ulimit -u " + l.maxProcesses() + " && exec \"$@\"", "sh"));
        argv.addAll(command);
        send(AgentRequest.run(COMMAND_ID, argv, environment, line.workspace().toString(), l.timeout()));
        BoundedLineSplitter out = new BoundedLineSplitter(t -> lines.accept(new OutputLine(OutputLine.Stream.STDOUT, t)));
        BoundedLineSplitter err = new BoundedLineSplitter(t -> lines.accept(new OutputLine(OutputLine.Stream.STDERR, t)));
        long hostDeadline = started + l.timeout().plus(GRACE).toNanos();
        long cancelDeadline = Long.MAX_VALUE;
        long oomDeadline = Long.MAX_VALUE;
        long consoleChecked = started;
        long consoleSize = 0;
        boolean cancelled = false;
        try {
            while (true) {
                long now = System.nanoTime();
                if (oomDeadline == Long.MAX_VALUE && now - consoleChecked > 500_000_000L) {
                    // a guest short of memory may never send EXIT: watch its console for the OOM killer
                    consoleChecked = now;
                    long size = line.kernelLog().map(log -> log.toFile().length()).orElse(0L);
                    if (size != consoleSize) {
                        consoleSize = size;
                        if (oomKilledNow()) {
                            oomDeadline = now + GRACE.toNanos();
                        }
                    }
                }
                if (now - oomDeadline > 0) {
                    Host.killNow(process);
                    return result(-1, ExecResult.Ending.OUT_OF_MEMORY, started);
                }
                if (now - hostDeadline > 0) {
                    Host.killNow(process); // the host watchdog: the guest's own TIMEOUT did not end it
                    return result(-1, oomKilled() ? ExecResult.Ending.OUT_OF_MEMORY : ExecResult.Ending.TIMED_OUT,
                            started);
                }
                if (cancelled && now - cancelDeadline > 0) {
                    return result(-1, ExecResult.Ending.CANCELLED, started);
                }
                Object next;
                try {
                    next = inbox.poll(50, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    if (!cancelled) {
                        cancelled = true;
                        cancelDeadline = System.nanoTime() + GRACE.toNanos();
                        send(AgentRequest.kill(COMMAND_ID));
                    }
                    continue;
                }
                if (next == null) {
                    continue;
                }
                if (next instanceof GuestMessage.Output o && o.id().equals(COMMAND_ID)) {
                    (o.stderr() ? err : out).accept(o.bytes());
                } else if (next instanceof GuestMessage.Exit exit && exit.id().equals(COMMAND_ID)) {
                    out.finish();
                    err.finish();
                    return ending(exit, cancelled, started);
                } else if (next instanceof GuestMessage.Fail fail && (fail.id().equals(COMMAND_ID)
                        || fail.id().equals("-"))) {
                    if (cancelled) {
                        continue; // a KILL that crossed the EXIT
                    }
                    throw new SandboxException("the guest agent refused the command: " + fail.message());
                } else if (next == EOF) {
                    out.finish();
                    err.finish();
                    if (cancelled) {
                        return result(-1, ExecResult.Ending.CANCELLED, started);
                    }
                    if (oomKilled()) {
                        return result(-1, ExecResult.Ending.OUT_OF_MEMORY, started);
                    }
                    throw new SandboxException("the microVM stopped before the command ended. "
                            + line.diagnostics());
                } else if (next instanceof IllegalArgumentException e) {
                    throw new SandboxException(e.getMessage(), e);
                }
            }
        } finally {
            if (cancelled) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private ExecResult ending(GuestMessage.Exit exit, boolean cancelled, long started) {
        if (exit.how().equals("timeout")) {
            // a guest short of memory can stall instead of exiting: the OOM kill is the cause
            return result(-1, exit.oomKills() > 0 || oomKilled() ? ExecResult.Ending.OUT_OF_MEMORY
                    : ExecResult.Ending.TIMED_OUT, started);
        }
        if (cancelled || exit.how().equals("killed")) {
            return result(-1, ExecResult.Ending.CANCELLED, started);
        }
        if (exit.status() != 0 && (exit.oomKills() > 0 || oomKilled())) {
            return result(-1, ExecResult.Ending.OUT_OF_MEMORY, started);
        }
        return result(exit.status(), ExecResult.Ending.EXITED, started);
    }

    /**
     * Whether the guest kernel OOM-killed a process of this run (the VM runs nothing else):
     * it logs that at error level, which {@code quiet} still shows on the serial console.
     * A failed command after such a kill ended because memory ran out.
     */
    private boolean oomKilled() {
        if (line.kernelLog().isEmpty()) {
            return false; // the agent's EXIT counts the kills instead
        }
        for (int i = 0; i < 10; i++) {
            if (oomKilledNow()) {
                return true;
            }
            try {
                Thread.sleep(20); // the serial console can lag behind the agent's EXIT
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private boolean oomKilledNow() {
        return line.kernelLog().map(log -> Host.tail(log, 1 << 20).contains("Out of memory: Killed process"))
                .orElse(false);
    }

    private static ExecResult result(int status, ExecResult.Ending ending, long started) {
        return new ExecResult(status, ending, Duration.ofNanos(System.nanoTime() - started), 0);
    }

    private void send(String request) throws SandboxException {
        byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
        try {
            synchronized (channel) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            throw new SandboxException("lost the connection to the guest agent: " + e.getMessage(), e);
        }
    }

    /** POWEROFF, QEMU killed after the grace period, run directory removed. Never throws. */
    @Override
    public void close() {
        shutdown(true);
    }

    private void shutdown(boolean graceful) {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            stop(graceful);
        } finally {
            Host.deleteTree(line.runDir());
            onClose.run();
        }
    }

    /** POWEROFF (when graceful), then the VMM's own stop request, then kill. Keeps the run directory. */
    private void stop(boolean graceful) {
        if (stopped.getAndSet(true)) {
            return;
        }
        boolean interrupted = Thread.interrupted(); // a cancelled run still gets its grace period
        try {
            if (graceful && process.isAlive()) {
                try {
                    send(AgentRequest.poweroff());
                } catch (SandboxException e) {
                    // the VMM is stopped or killed below
                }
                try {
                    if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                        line.requestStop(process);
                        process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            Host.killNow(process);
        } finally {
            channel.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
