package org.crustyclaw.launcher;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Level;

import org.crustyclaw.api.config.ConfigProblem;
import org.osgi.framework.launch.Framework;

/** What each verb does on the client side. */
final class Commands {

    /** Verbs that may run in a short-lived framework when no daemon runs. */
    private static final Set<String> OFFLINE_SCOPES = Set.of("config", "policy");

    private final Layout layout;
    private final PrintStream out;
    private final PrintStream err;

    Commands(Layout layout, PrintStream out, PrintStream err) {
        this.layout = layout;
        this.out = out;
        this.err = err;
    }

    int start(boolean foreground) throws IOException {
        if (!stateSecured()) {
            return Main.FAILED;
        }
        long running = runningPid();
        if (running > 0) {
            err.println("crustyclaw is already running (pid " + running + ", state " + layout.state() + ")");
            return Main.FAILED;
        }
        if (foreground) {
            String token = System.getProperty(ConfigVerdict.TOKEN);
            if (token != null) {
                // Spawned by 'start', which checks the file while this JVM boots; the bundles start
                // only once it said so, and if it ended without a word we check ourselves.
                long checker = Long.getLong(ConfigVerdict.CHECKER, -1L);
                return foreground(() -> ConfigVerdict.awaitPassed(layout, token, checker) || !refused(Preflight.check(layout)));
            }
            return refused(Preflight.check(layout)) ? Main.FAILED : foreground(() -> true);
        }
        return background();
    }

    /** Creates or checks the state directory (owner-only); false, with the reason printed, when it is refused. */
    private boolean stateSecured() throws IOException {
        try {
            List<String> fixed = StateDir.secure(layout.state());
            fixed.forEach(f -> err.println("warning: the state directory was readable by other users; fixed: " + f));
            return true;
        } catch (StateDir.Refused e) {
            err.println("error: " + e.getMessage());
            return false;
        }
    }

    private boolean refused(List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            return false;
        }
        err.println("configuration " + layout.config() + " is invalid; not starting:");
        problems.forEach(p -> err.println("  " + p));
        return true;
    }

    private int foreground(DaemonRunner.Gate configChecked) throws IOException {
        DaemonRunner.PidLock lock = DaemonRunner.lockPidFile(layout.pidFile());
        if (lock == null) {
            err.println("crustyclaw is already running (pid " + DaemonRunner.runningPid(layout.pidFile()) + ")");
            return Main.FAILED;
        }
        Logs.configure(layout.logDir(), "crustyclaw.log", true, Level.INFO);
        try {
            return new DaemonRunner(layout, err).run(lock, configChecked);
        } catch (org.osgi.framework.BundleException e) {
            err.println("error: the framework did not start: " + e.getMessage());
            return Main.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.FAILED;
        }
    }

    private int background() throws IOException {
        Files.createDirectories(layout.logDir());
        Path log = layout.logDir().resolve("daemon.out");
        StateDir.ownerOnlyFile(log);
        List<String> command = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid");
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(layout.jvmOptions());
        command.addAll(ClassDataSharing.options(layout, layout.jvmOptions()));
        String token = java.util.UUID.randomUUID().toString();
        command.addAll(List.of("-Dcrustyclaw.home=" + layout.home(), "-D" + ConfigVerdict.TOKEN + "=" + token,
                "-D" + ConfigVerdict.CHECKER + "=" + ProcessHandle.current().pid(),
                "-D" + DaemonRunner.SPAWNED_AT + "=" + System.currentTimeMillis(),
                "-cp", layout.home().resolve("lib") + File.separator + "*",
                Main.class.getName(), "start", "--foreground", "--config", layout.config().toString()));
        long started = System.nanoTime();
        DaemonProcess daemon = DaemonProcess.spawn(command, log);
        // The configuration is checked while the daemon's JVM boots and installs its bundles; they
        // start only once it passed (the daemon waits for our word), and a broken one stops it at once.
        if (refused(Preflight.check(layout))) {
            daemon.destroy(Duration.ofSeconds(layout.shutdownTimeoutSeconds()));
            return Main.FAILED;
        }
        ConfigVerdict.passed(layout, token);
        long deadline = started + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<StatusAnswer> answer;
            try {
                answer = statusAnswer();
            } catch (IOException e) {
                answer = Optional.empty();
            }
            if (answer.isPresent()) {
                out.printf("crustyclaw started (pid %d) in %.2fs; state %s%n", DaemonRunner.runningPid(layout.pidFile()),
                        (System.nanoTime() - started) / 1e9, layout.state());
                if (answer.get().code() != Main.OK) {
                    // It runs, but something it needs is broken: say so now, not at the first command that fails.
                    err.print(answer.get().err());
                    err.println("see 'crustyclaw status' and " + layout.logDir().resolve("crustyclaw.log"));
                    return Main.FAILED;
                }
                return Main.OK;
            }
            if (!daemon.isAlive()) {
                err.println("crustyclaw did not start (pid " + daemon.pid() + " exited); " + log + " says:");
                tail(log, 20).forEach(line -> err.println("  " + line));
                return Main.FAILED;
            }
            sleep(10);
        }
        err.println("crustyclaw did not open its admin socket within 60s; see " + log);
        return Main.FAILED;
    }

    /** What the daemon's status said: exit 0 healthy, 1 running but unhealthy (with why); empty when nothing answered it. */
    private record StatusAnswer(int code, String out, String err) {}

    private Optional<StatusAnswer> statusAnswer() throws IOException {
        Optional<AdminClient> client = AdminClient.connect(layout.socket());
        if (client.isEmpty()) {
            return Optional.empty();
        }
        var stdout = new java.io.ByteArrayOutputStream();
        var stderr = new java.io.ByteArrayOutputStream();
        try (AdminClient c = client.get()) {
            int code = c.run(List.of("crustyclaw:status"), Optional.empty(), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                    new PrintStream(stderr, true, StandardCharsets.UTF_8));
            String text = stdout.toString(StandardCharsets.UTF_8);
            boolean isStatus = text.startsWith("crustyclaw ") && text.lines().findFirst().orElse("").contains(" running");
            return code == Main.OK || code == Main.FAILED && isStatus
                    ? Optional.of(new StatusAnswer(code, text, stderr.toString(StandardCharsets.UTF_8))) : Optional.empty();
        }
    }

    /** The running daemon's areas, one line each, or empty when none runs (or it is busy). */
    Optional<String> daemonAreas() {
        try {
            return quietly("crustyclaw:help");
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Runs one command in the daemon without printing; its output when it exited 0, else empty. */
    private Optional<String> quietly(String command) throws IOException {
        Optional<AdminClient> client = AdminClient.connect(layout.socket());
        if (client.isEmpty()) {
            return Optional.empty();
        }
        var text = new java.io.ByteArrayOutputStream();
        try (AdminClient c = client.get()) {
            var sink = new PrintStream(text, true, StandardCharsets.UTF_8);
            return c.run(List.of(command), Optional.empty(), sink, sink) == Main.OK
                    ? Optional.of(text.toString(StandardCharsets.UTF_8)) : Optional.empty();
        }
    }

    int stop() throws IOException {
        long pid = runningPid();
        if (pid <= 0) {
            out.println("crustyclaw is not running");
            return Main.OK;
        }
        Optional<AdminClient> client = AdminClient.connect(layout.socket());
        if (client.isPresent()) {
            try (AdminClient c = client.get()) {
                c.run(List.of("crustyclaw:stop"), Optional.empty(), out, err);
            } catch (IOException e) {
                // the daemon may close the socket as it stops
            }
        } else {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
        int timeout = layout.shutdownTimeoutSeconds();
        long deadline = System.nanoTime() + Duration.ofSeconds(timeout).toNanos();
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
                out.println("crustyclaw stopped (pid " + pid + ")");
                return Main.OK;
            }
            sleep(50);
        }
        err.println("crustyclaw (pid " + pid + ") did not stop within " + timeout + "s");
        return Main.FAILED;
    }

    int status(boolean json) throws IOException {
        Optional<AdminClient> client = AdminClient.connect(layout.socket());
        if (client.isEmpty()) {
            if (json) {
                out.println("{\n  \"running\" : false,\n  \"stateDir\" : \"" + jsonEscape(layout.state().toString()) + "\"\n}");
            } else {
                out.println("crustyclaw is not running (state " + layout.state() + ")");
            }
            return Main.NOT_RUNNING;
        }
        try (AdminClient c = client.get()) {
            return c.run(json ? List.of("crustyclaw:status", "--json") : List.of("crustyclaw:status"), Optional.empty(), out, err);
        }
    }

    int version(boolean json) {
        Properties build = Layout.buildInfo();
        String java = System.getProperty("java.vendor") + " " + System.getProperty("java.version");
        Path sbom = layout.home().resolve("sbom.cyclonedx.json");
        String digest = sbomDigest(sbom);
        if (json) {
            out.printf("{%n  \"version\" : \"%s\",%n  \"commit\" : \"%s\",%n  \"buildTime\" : \"%s\",%n  \"javaVersion\" : \"%s\",%n"
                    + "  \"sbom\" : \"%s\",%n  \"sbomSha256\" : \"%s\"%n}%n",
                    jsonEscape(build.getProperty("version", "unknown")), jsonEscape(build.getProperty("commit", "unknown")),
                    jsonEscape(build.getProperty("buildTime", "unknown")), jsonEscape(java), jsonEscape(sbom.toString()),
                    jsonEscape(digest));
        } else {
            out.printf("crustyclaw %s (commit %s, built %s) on %s%n", build.getProperty("version", "unknown"),
                    build.getProperty("commit", "unknown"), build.getProperty("buildTime", "unknown"), java);
            out.printf("bill of materials %s: SHA-256 %s%n", sbom, digest);
        }
        return Main.OK;
    }

    /** The SHA-256 of the installation's SBOM, so a running daemon can be matched to it; what is wrong when it cannot be read. */
    static String sbomDigest(Path sbom) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(sbom));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.nio.file.NoSuchFileException e) {
            return "missing: no " + sbom + " (the distribution ships one)";
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    int shell() throws IOException {
        Optional<AdminClient> client = AdminClient.connect(layout.socket());
        if (client.isEmpty()) {
            err.println("crustyclaw is not running; start it with 'crustyclaw start'");
            return Main.NOT_RUNNING;
        }
        boolean interactive = System.console() != null;
        if (interactive) {
            out.println("CrustyClaw shell: Gogo commands run in the daemon. 'help' lists them, 'exit' leaves.");
        }
        AdminClient c = client.get();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            int last = Main.OK;
            while (true) {
                if (interactive) {
                    out.print("crustyclaw> ");
                    out.flush();
                }
                String line = in.readLine();
                if (line == null || line.strip().equals("exit")) {
                    return last;
                }
                if (line.isBlank()) {
                    continue;
                }
                if (c.idleClosed()) {
                    // The daemon closes connections idle past [admin] idle_timeout_seconds; a new one
                    // is a new Gogo session (its variables are gone).
                    c.close();
                    Optional<AdminClient> again = AdminClient.connect(layout.socket());
                    if (again.isEmpty()) {
                        err.println("crustyclaw is not running any more");
                        return Main.NOT_RUNNING;
                    }
                    c = again.get();
                    err.println("(reconnected: the idle connection was closed; shell variables are reset)");
                }
                last = c.line(line, out, err);
            }
        } finally {
            c.close();
        }
    }

    /** Runs a Gogo command in the daemon, or offline for config and policy verbs. */
    int forward(List<String> command, boolean configGiven) throws IOException {
        String scope = command.get(0).substring(0, command.get(0).indexOf(':'));
        if (configGiven && scope.equals("policy")) {
            if (!stateSecured()) {
                return Main.FAILED;
            }
            // A policy verb given a file answers for that file or not at all: a framework booted on a
            // file that does not load holds the deny-all policy, and a CI job would pass its deny cases.
            List<ConfigProblem> problems = Preflight.check(layout);
            if (!problems.isEmpty()) {
                err.println("configuration " + layout.config() + " does not load:");
                problems.forEach(p -> err.println("  " + p));
                return Main.FAILED;
            }
            command = new ArrayList<>(command);
            command.addAll(1, List.of("--config", layout.config().toString()));
        }
        Optional<AdminClient> client = AdminClient.connect(layout.socket());
        if (client.isPresent() && configGiven && OFFLINE_SCOPES.contains(scope) && !daemonUses(layout.config())) {
            client.get().close();
            client = Optional.empty();
        }
        if (client.isPresent()) {
            try (AdminClient c = client.get()) {
                return c.run(command, stdin(), out, err);
            }
        }
        if (!Help.builtIn(scope)) {
            throw new Main.UsageException(Help.unknownArea(scope) + "; no daemon runs whose plugins might provide it");
        }
        if (!OFFLINE_SCOPES.contains(scope) && !command.get(0).equals("crustyclaw:help")) {
            err.println("crustyclaw is not running; start it with 'crustyclaw start' (state " + layout.state() + ")");
            return Main.NOT_RUNNING;
        }
        return oneShot(command);
    }

    /**
     * {@code crustyclaw AREA} with no verb for an area the launcher does not know: a running
     * daemon's plugin may provide it (its help goes to stderr), else it is unknown. A usage error either way.
     */
    int areaWithoutVerb(String area) throws IOException {
        Optional<AdminClient> client = AdminClient.connect(layout.socket());
        if (client.isEmpty()) {
            throw new Main.UsageException(Help.unknownArea(area) + "; no daemon runs whose plugins might provide it");
        }
        try (AdminClient c = client.get()) {
            if (c.run(List.of("crustyclaw:help", area), Optional.empty(), err, err) == Main.OK) {
                err.println("usage error: '" + area + "' needs a verb; see the list above");
            }
        }
        return Main.USAGE;
    }

    /** Whether the running daemon's configuration is {@code file}; else --config asks for that file offline. */
    private boolean daemonUses(Path file) throws IOException {
        return quietly("config:path").map(path -> Path.of(path.strip()).equals(file)).orElse(false);
    }

    private int oneShot(List<String> command) throws IOException {
        if (!stateSecured()) {
            return Main.FAILED;
        }
        Path dir = Files.createTempDirectory("crustyclaw-cli");
        Path socket = dir.resolve("admin.sock");
        Logs.configure(layout.logDir(), "oneshot.log", false, Level.WARNING);
        Framework framework;
        try {
            framework = new DaemonRunner(layout, err).startOneShot(socket);
        } catch (org.osgi.framework.BundleException e) {
            err.println("error: cannot start an offline framework: " + e.getMessage());
            return Main.FAILED;
        }
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                Optional<AdminClient> client = AdminClient.connect(socket);
                if (client.isPresent()) {
                    try (AdminClient c = client.get()) {
                        return c.run(command, stdin(), out, err);
                    }
                }
                sleep(10);
            }
            err.println("error: the offline framework did not open its admin socket");
            return Main.FAILED;
        } finally {
            try {
                framework.stop();
                framework.waitForStop(10_000);
            } catch (org.osgi.framework.BundleException | InterruptedException e) {
                err.println("warning: offline framework did not stop cleanly: " + e.getMessage());
            }
        }
    }

    private static Optional<java.io.InputStream> stdin() {
        return System.console() == null ? Optional.of(System.in) : Optional.empty();
    }

    private long runningPid() throws IOException {
        if (!Files.exists(layout.pidFile())) {
            return -1;
        }
        DaemonRunner.PidLock probe = DaemonRunner.lockPidFile(layout.pidFile());
        if (probe != null) {
            probe.lock().release();
            probe.channel().close();
            return -1;
        }
        return DaemonRunner.runningPid(layout.pidFile());
    }

    private static List<String> tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(cannot read: " + e.getMessage() + ")");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
