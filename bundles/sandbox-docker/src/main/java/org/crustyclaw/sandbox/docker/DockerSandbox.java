package org.crustyclaw.sandbox.docker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.sandbox.lines.BoundedLineSplitter;
import org.crustyclaw.api.sandbox.PreparedSandbox;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.SandboxException;

/** One started container, idling until its one command is exec'd; removed afterwards. */
final class DockerSandbox implements PreparedSandbox {

    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
    private static final long POLL_MILLIS = 500;
    /** How long the SIGTERM exec may take to start before the run is killed without a grace. */
    private static final long TERM_DELIVERY_SECONDS = 8;
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final DockerEngine engine;
    private final DockerClient client;
    private final String backend;
    private final String id;
    private final Path workspace;
    private final String user;
    private final ResourceLimits limits;
    private final AtomicBoolean used = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    DockerSandbox(DockerEngine engine, String backend, String id, Path workspace, String user, ResourceLimits limits) {
        this.engine = engine;
        this.client = engine.client();
        this.backend = backend;
        this.id = id;
        this.workspace = workspace;
        this.user = user;
        this.limits = limits;
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public Path workspace() {
        return workspace;
    }

    static List<String> environment(Path workspace, Map<String, String> given) {
        List<String> env = new ArrayList<>();
        if (!given.containsKey("PATH")) {
            env.add("PATH=" + DEFAULT_PATH);
        }
        if (!given.containsKey("HOME")) {
            env.add("HOME=" + workspace);
        }
        given.forEach((k, v) -> {
            if (!ENV_NAME.matcher(k).matches()) {
                throw new IllegalArgumentException("environment variable name '" + k
                        + "' is not letters, digits and '_' (not starting with a digit)");
            }
            env.add(k + "=" + v);
        });
        return env;
    }

    @Override
    public ExecResult exec(List<String> command, Map<String, String> environment, Consumer<OutputLine> lines)
            throws SandboxException {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command is empty: give the program to run");
        }
        List<String> env = environment(workspace, environment);
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("this sandbox already ran a command; sandboxes are never reused");
        }
        long started = System.nanoTime();
        boolean cancelled = false;
        try {
            String exec;
            try {
                exec = client.execCreateCmd(id).withCmd(command.toArray(String[]::new)).withEnv(env).withUser(user)
                        .withWorkingDir(workspace.toString()).withAttachStdout(true).withAttachStderr(true).exec()
                        .getId();
            } catch (RuntimeException e) {
                throw new SandboxException(backend + " could not start the command in its container: "
                        + DockerEngine.rootMessage(e), e);
            }
            Object lock = new Object();
            BoundedLineSplitter out = new BoundedLineSplitter(t -> deliver(lock, lines, new OutputLine(OutputLine.Stream.STDOUT, t)));
            BoundedLineSplitter err = new BoundedLineSplitter(t -> deliver(lock, lines, new OutputLine(OutputLine.Stream.STDERR, t)));
            // ResultCallback.awaitCompletion closes the stream even when it times out or is interrupted,
            // which would drop what the command prints after SIGTERM: wait on a latch of our own
            CountDownLatch ended = new CountDownLatch(1);
            ResultCallback.Adapter<Frame> attached = client.execStartCmd(exec).exec(new ResultCallback.Adapter<>() {
                @Override
                public void onComplete() {
                    super.onComplete();
                    ended.countDown();
                }

                @Override
                public void onError(Throwable t) {
                    super.onError(t);
                    ended.countDown();
                }

                @Override
                public void onNext(Frame frame) {
                    switch (frame.getStreamType()) {
                        case STDOUT, RAW -> out.accept(frame.getPayload());
                        case STDERR -> err.accept(frame.getPayload());
                        default -> { }
                    }
                }
            });
            ExecResult.Ending ending = ExecResult.Ending.EXITED;
            boolean containerDied = false;
            try {
                long deadline = started + limits.timeout().toNanos();
                while (!ended.await(Math.min(POLL_MILLIS, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)),
                        TimeUnit.MILLISECONDS)) {
                    if (System.nanoTime() >= deadline) {
                        ending = ExecResult.Ending.TIMED_OUT;
                        kill();
                        break;
                    }
                    // gVisor ends the whole sandbox on OOM and the exec stream then never closes: look
                    if (!Boolean.TRUE.equals(client.inspectContainerCmd(id).exec().getState().getRunning())) {
                        containerDied = true;
                        break;
                    }
                }
            } catch (InterruptedException e) {
                cancelled = true;
                ending = ExecResult.Ending.CANCELLED;
                terminateThenKill(ended);
            }
            awaitQuietly(ended, 5000);
            closeQuietly(attached);
            out.finish();
            err.finish();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            long peak = cgroupValue("memory.max_usage_in_bytes", "memory.peak");
            if (ending != ExecResult.Ending.EXITED) {
                return new ExecResult(-1, ending, elapsed, peak);
            }
            InspectContainerResponse.ContainerState state = client.inspectContainerCmd(id).exec().getState();
            Long code = containerDied ? state.getExitCodeLong() : client.inspectExecCmd(exec).exec().getExitCodeLong();
            int exit = code == null ? -1 : code.intValue();
            boolean oom = Boolean.TRUE.equals(state.getOOMKilled()) || oomKills() > 0;
            return new ExecResult(exit, oom ? ExecResult.Ending.OUT_OF_MEMORY : ExecResult.Ending.EXITED, elapsed, peak);
        } finally {
            close();
            if (cancelled) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void deliver(Object lock, Consumer<OutputLine> lines, OutputLine line) {
        synchronized (lock) {
            lines.accept(line);
        }
    }

    /**
     * SIGTERM to every process of the command (kill -1 spares pid 1 and itself), SIGKILL after the grace. The
     * grace counts from when the signal went out: on a loaded host a gVisor exec can take seconds to start.
     */
    private void terminateThenKill(CountDownLatch ended) {
        try {
            String term = client.execCreateCmd(id).withCmd("kill", "-TERM", "-1").withUser(user).exec().getId();
            client.execStartCmd(term).exec(new ResultCallback.Adapter<Frame>())
                    .awaitCompletion(TERM_DELIVERY_SECONDS, TimeUnit.SECONDS);
            ended.await(engine.config().graceMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException | InterruptedException e) {
            // no kill in the image, or the container is gone: SIGKILL below ends it either way
        }
        kill();
    }

    private void kill() {
        try {
            client.killContainerCmd(id).withSignal("KILL").exec();
        } catch (RuntimeException e) {
            // already stopped
        }
    }

    private static void awaitQuietly(CountDownLatch ended, long millis) {
        try {
            ended.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(java.io.Closeable stream) {
        try {
            stream.close();
        } catch (java.io.IOException e) {
            // the stream ended already
        }
    }

    /** The container's cgroup directory (v1 cgroupfs, v2, v2 under systemd), where one exists. */
    private List<Path> cgroupDirs() {
        return List.of(Path.of("/sys/fs/cgroup/memory/docker", id), Path.of("/sys/fs/cgroup/docker", id),
                Path.of("/sys/fs/cgroup/system.slice", "docker-" + id + ".scope"));
    }

    /** runc leaves the container up when the OOM killer takes an exec'd process: its cgroup counts it. */
    private long oomKills() {
        for (Path dir : cgroupDirs()) {
            for (Path file : List.of(dir.resolve("memory.oom_control"), dir.resolve("memory.events"))) {
                try {
                    return Files.readAllLines(file).stream().map(l -> l.trim().split("\\s+"))
                            .filter(f -> f.length == 2 && f[0].equals("oom_kill")).mapToLong(f -> Long.parseLong(f[1]))
                            .findFirst().orElse(0);
                } catch (java.io.IOException | NumberFormatException e) {
                    // try the next layout
                }
            }
        }
        return 0;
    }

    /** A number from the container's cgroup while it still exists; 0 when no layout has it. */
    private long cgroupValue(String v1File, String v2File) {
        for (Path dir : cgroupDirs()) {
            for (Path file : List.of(dir.resolve(v1File), dir.resolve(v2File))) {
                try {
                    return Long.parseLong(Files.readString(file).trim());
                } catch (java.io.IOException | NumberFormatException e) {
                    // try the next layout
                }
            }
        }
        return 0;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // gone already
        } catch (RuntimeException e) {
            // the engine went away; the label org.crustyclaw.sandbox finds leftovers
        }
    }
}
