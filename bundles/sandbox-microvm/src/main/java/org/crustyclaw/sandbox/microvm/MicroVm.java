package org.crustyclaw.sandbox.microvm;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.crustyclaw.api.sandbox.PreparedSandbox;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.SandboxException;

/**
 * One QEMU microVM, booted to the agent's READY, that runs exactly one command and is
 * then powered off and killed. Its run directory (socket, console log) goes with it.
 */
final class MicroVm implements PreparedSandbox {

    /** How long the guest gets to act on KILL or POWEROFF before QEMU itself is killed. */
    static final Duration GRACE = Duration.ofSeconds(3);
    private static final Object EOF = new Object();
    private static final String COMMAND_ID = "c1";

    private final String backend;
    private final QemuCommandLine line;
    private final Process process;
    private final SocketChannel channel;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final AtomicBoolean used = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ResourceLimits limits;
    private volatile Runnable onClose = () -> {};

    private MicroVm(String backend, QemuCommandLine line, Process process, SocketChannel channel,
            ResourceLimits limits) {
        this.backend = backend;
        this.line = line;
        this.process = process;
        this.channel = channel;
        this.limits = limits;
    }

    /**
     * Starts QEMU and waits for the agent's READY; on any failure QEMU is killed and the
     * run directory removed before this returns.
     *
     * @throws SandboxException     when QEMU fails to start or the guest is not ready in time
     * @throws InterruptedException when the calling thread is interrupted while it waits
     */
    static MicroVm boot(String backend, QemuCommandLine line, Duration bootTimeout, ResourceLimits limits)
            throws SandboxException, InterruptedException {
        long deadline = System.nanoTime() + bootTimeout.toNanos();
        Process process;
        try {
            Files.createDirectories(line.runDir());
            process = new ProcessBuilder(line.argv()).redirectErrorStream(true)
                    .redirectOutput(line.runDir().resolve("qemu.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            Host.deleteTree(line.runDir());
            throw new SandboxException("cannot start " + line.qemu() + ": " + e.getMessage(), e);
        }
        SocketChannel channel;
        try {
            channel = connect(line, process, deadline);
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

    private static SocketChannel connect(QemuCommandLine line, Process process, long deadline)
            throws SandboxException, InterruptedException {
        var address = UnixDomainSocketAddress.of(line.socket());
        while (true) {
            if (!process.isAlive()) {
                throw new SandboxException("QEMU exited with status " + process.exitValue()
                        + " before the guest booted: " + Host.tail(line.runDir().resolve("qemu.log")));
            }
            if (Files.exists(line.socket())) {
                SocketChannel channel = null;
                try {
                    channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                    channel.connect(address);
                    return channel;
                } catch (IOException e) {
                    if (channel != null) {
                        Host.closeQuietly(channel);
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                Host.killNow(process);
                throw new SandboxException("QEMU did not open its agent socket " + line.socket() + " in time");
            }
            Thread.sleep(5);
        }
    }

    private void startReader() {
        Thread reader = new Thread(this::readLines, "microvm-agent-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    private void readLines() {
        try (InputStream in = new BufferedInputStream(Channels.newInputStream(channel))) {
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
                        + " s (accel " + line.accel() + "); killed it. Console: " + Host.tail(line.console()));
            }
            if (next instanceof GuestMessage.Ready ready) {
                if (ready.version() != 1) {
                    throw new SandboxException("the guest agent speaks protocol " + ready.version()
                            + ", expected 1: rebuild the initramfs with scripts/setup-sandbox-host.sh");
                }
                return;
            }
            if (next == EOF) {
                throw new SandboxException("the microVM stopped while booting. Console: " + Host.tail(line.console())
                        + " QEMU: " + Host.tail(line.runDir().resolve("qemu.log")));
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

    void limits(ResourceLimits value) {
        this.limits = value;
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
        long started = System.nanoTime();
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            return result(-1, ExecResult.Ending.CANCELLED, started);
        }
        if (!alive()) {
            throw new SandboxException("the microVM is no longer running (QEMU pid " + process.pid() + ")");
        }
        ResourceLimits l = limits;
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c",
                "ulimit -u " + l.maxProcesses() + " && exec \"$@\"", "sh"));
        argv.addAll(command);
        send(AgentRequest.run(COMMAND_ID, argv, environment, line.workspace().toString(), l.timeout()));
        LineSplitter out = new LineSplitter(t -> lines.accept(new OutputLine(OutputLine.Stream.STDOUT, t)));
        LineSplitter err = new LineSplitter(t -> lines.accept(new OutputLine(OutputLine.Stream.STDERR, t)));
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
                    long size = line.console().toFile().length();
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
                    throw new SandboxException("the microVM stopped before the command ended. Console: "
                            + Host.tail(line.console()));
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
            return result(-1, oomKilled() ? ExecResult.Ending.OUT_OF_MEMORY : ExecResult.Ending.TIMED_OUT, started);
        }
        if (cancelled || exit.how().equals("killed")) {
            return result(-1, ExecResult.Ending.CANCELLED, started);
        }
        if (exit.status() != 0 && oomKilled()) {
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
        return Host.tail(line.console(), 1 << 20).contains("Out of memory: Killed process");
    }

    private static ExecResult result(int status, ExecResult.Ending ending, long started) {
        return new ExecResult(status, ending, Duration.ofNanos(System.nanoTime() - started), 0);
    }

    private void send(String request) throws SandboxException {
        ByteBuffer bytes = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
        try {
            synchronized (channel) {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
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
        boolean interrupted = Thread.interrupted(); // a cancelled run still gets its grace period
        try {
            if (graceful && process.isAlive() && channel.isOpen()) {
                try {
                    send(AgentRequest.poweroff());
                } catch (SandboxException e) {
                    // QEMU is killed below
                }
                try {
                    process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            Host.killNow(process);
        } finally {
            Host.closeQuietly(channel);
            Host.deleteTree(line.runDir());
            onClose.run();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
