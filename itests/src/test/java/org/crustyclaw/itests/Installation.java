package org.crustyclaw.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The built distribution as one user sees it: {@code bin/crustyclaw} run with its own state
 * directory and deploy directory (fresh temp directories, so tests never touch the
 * distribution's {@code deploy/} nor each other). Closing it stops every daemon it started,
 * by {@code stop} first and by pid as the last resort, and deletes the temp directories.
 */
final class Installation implements AutoCloseable {

    static final Path HOME = Path.of(System.getProperty("crustyclaw.dist", "../runtime-dist/target/crustyclaw"))
            .toAbsolutePath().normalize();
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path root;
    final Path state;
    final Path deploy;
    private Path config;
    private final Set<Long> daemons = new LinkedHashSet<>();

    /** What one command printed and returned. */
    record Result(List<String> command, int exit, String out, String err) {
        String all() {
            return out + err;
        }

        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Installation(Path root) throws IOException {
        this.root = root;
        this.state = Files.createDirectories(root.resolve("state"));
        this.deploy = Files.createDirectories(root.resolve("deploy"));
    }

    static Installation create(String name) throws IOException {
        assertThat(HOME.resolve("bin/crustyclaw")).as("the distribution is built (mvn install)").isExecutable();
        return new Installation(Files.createTempDirectory("crustyclaw-it-" + name + "-"));
    }

    /** Every later command runs with {@code --config file}. */
    Installation config(Path file) {
        this.config = file;
        return this;
    }

    static Path exampleJar() throws IOException {
        try (Stream<Path> s = Files.list(HOME.resolve("examples"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("org.crustyclaw.tool.echo-")
                    && p.getFileName().toString().endsWith(".jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no echo example in " + HOME.resolve("examples")));
        }
    }

    Path write(String name, String text) throws IOException {
        return Files.writeString(root.resolve(name), text, StandardCharsets.UTF_8);
    }

    Path socket() {
        return state.resolve("run/admin.sock");
    }

    Path pidFile() {
        return state.resolve("run/crustyclaw.pid");
    }

    Path log() {
        return state.resolve("logs/crustyclaw.log");
    }

    String logText() {
        try {
            return Files.isRegularFile(log()) ? Files.readString(log(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    Optional<Long> pid() {
        try {
            String text = Files.readString(pidFile(), StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Runs {@code bin/crustyclaw [--config FILE] args...} with stdin from /dev/null. */
    Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(HOME.resolve("bin/crustyclaw").toString());
        if (config != null) {
            command.add("--config");
            command.add(config.toString());
        }
        command.addAll(List.of(args));
        return exec(command);
    }

    Result exec(List<String> command) {
        try {
            Path out = Files.createTempFile(root, "out", ".txt");
            Path err = Files.createTempFile(root, "err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> env = pb.environment();
            env.put("CRUSTYCLAW_STATE", state.toString());
            env.put("CRUSTYCLAW_DEPLOY", deploy.toString());
            env.remove("CRUSTYCLAW_CONFIG");
            env.remove("CRUSTYCLAW_HOME");
            Process p = pb.start();
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT);
            }
            Result r = new Result(command, p.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            pid().ifPresent(daemons::add);
            return r;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** {@code start}, asserted to succeed; returns the daemon's pid. */
    long start() {
        Result r = run("start");
        assertThat(r.exit()).as("%s", r).isZero();
        long pid = pid().orElseThrow(() -> new AssertionError("no pid file after " + r));
        daemons.add(pid);
        return pid;
    }

    /** Sends a signal with kill(1), as a user or init system would. */
    void signal(String name, long pid) {
        Result r = exec(List.of("kill", "-" + name, Long.toString(pid)));
        assertThat(r.exit()).as("%s", r).isZero();
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Polls until the value satisfies the condition or the timeout passes; returns the last value,
     * which the caller asserts (so a failure shows what was seen). The timeout only guards against
     * a hang: the daemon is another process, and its files and verbs raise no event here.
     */
    static <T> T await(Duration timeout, Supplier<T> value, Predicate<T> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = value.get();
        while (!condition.test(last) && System.nanoTime() < deadline) {
            try {
                // test-rules: sleep allowed: the poll interval of the itests' one waiting helper
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            last = value.get();
        }
        return last;
    }

    /** Stops every daemon this installation started, by pid if {@code stop} fails, and removes the temp tree. */
    @Override
    public void close() {
        pid().ifPresent(daemons::add);
        Optional<Path> workspaces = Optional.empty();
        if (daemons.stream().anyMatch(Installation::alive)) {
            try {
                // the default workspace root is outside the state directory, under java.io.tmpdir
                workspaces = Optional.of(run("status", "--json").json().path("workspaces").asText())
                        .filter(w -> Path.of(w).getFileName().toString().startsWith("crustyclaw-workspaces-"))
                        .map(Path::of);
                run("stop");
            } catch (AssertionError e) {
                // fall through to the kill below
            }
        }
        for (long pid : daemons) {
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroy();
                try {
                    h.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            });
        }
        workspaces.ifPresent(Installation::deleteTree); // unmounted by the daemon as it stopped
        deleteTree(root);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
