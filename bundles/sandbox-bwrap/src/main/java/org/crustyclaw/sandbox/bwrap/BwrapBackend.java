package org.crustyclaw.sandbox.bwrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.crustyclaw.api.sandbox.ExecResult;
import org.crustyclaw.api.sandbox.IsolationLevel;
import org.crustyclaw.api.sandbox.OutputLine;
import org.crustyclaw.api.sandbox.PreparedSandbox;
import org.crustyclaw.api.sandbox.ResourceLimits;
import org.crustyclaw.api.sandbox.SandboxBackend;
import org.crustyclaw.api.sandbox.SandboxBackendName;
import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.sandbox.SandboxSpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * L2 through bubblewrap: every namespace (user, pid, mount, net, ipc, uts, cgroup), the
 * host's system directories bound read-only, the workspace read-write at its own path, a
 * seccomp filter, no capabilities, a clean environment, and cgroup limits made by hand.
 * When the daemon is root the sandbox also drops to an unprivileged host user. A spec with
 * egress gets the credential proxy's socket and the {@link EgressRelay} bound in: the
 * network namespace stays empty, the relay on its loopback is the only way out.
 */
@Component(configurationPid = BwrapBackend.PID)
@SandboxBackendName(backend = BwrapBackend.NAME, level = "L2")
@Designate(ocd = BwrapBackend.Config.class)
public final class BwrapBackend implements SandboxBackend {

    static final String NAME = "bwrap";
    static final String PID = "org.crustyclaw.sandbox.bwrap";

    @ObjectClassDefinition(name = "Sandbox: bubblewrap", description = "Runs commands in Linux namespaces (L2).")
    public @interface Config {
        @AttributeDefinition(description = "Path of the bwrap binary.")
        String binary() default "/usr/bin/bwrap";

        @AttributeDefinition(description = "Path of setpriv, used to drop to the sandbox user when the daemon is root.")
        String setpriv() default "/usr/bin/setpriv";

        @AttributeDefinition(description = "Host paths bound read-only at the same place inside; missing ones are skipped.")
        String[] readOnlyBinds() default {"/usr", "/bin", "/sbin", "/lib", "/lib64", "/etc/ld.so.cache",
                "/etc/alternatives"};

        @AttributeDefinition(description = "Host uid the sandbox runs as when the daemon is root and the workspace belongs to root.")
        int sandboxUid() default 65534;

        @AttributeDefinition(description = "Host gid to go with sandboxUid.")
        int sandboxGid() default 65534;

        @AttributeDefinition(description = "Mount point of the cgroup hierarchies (v1 controllers below it, or v2).")
        String cgroupRoot() default "/sys/fs/cgroup";

        @AttributeDefinition(description = "Parent group under which each sandbox gets its own group.")
        String cgroupParent() default "crustyclaw";

        @AttributeDefinition(description = "Milliseconds between SIGTERM and SIGKILL when a run is cancelled.")
        long graceMillis() default 2000;

        @AttributeDefinition(description = "Milliseconds a sandbox may take to start before it is given up.")
        long startTimeoutMillis() default 10000;
    }

    private final Config config;
    private final Path binary;
    private final Path setpriv;
    private final CgroupTree.Result cgroups;
    private final Path privateDir;
    private final Path seccompFile;
    /** The egress relay's class file, readable by the sandbox user: bound into sandboxes with egress. */
    private final Path relayDir;
    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));
    private final List<Path> jdkLinks;
    private final boolean daemonIsRoot;
    private final List<BwrapCommand.ReadOnlyPath> readOnlyPaths;
    private final ExecutorService pumps;
    private final ScheduledThreadPoolExecutor timers;
    /** Group names: random per activation (a crashed daemon may have left groups), then counted. */
    private final String groupPrefix = "s-" + UUID.randomUUID() + "-";
    private final AtomicLong groups = new AtomicLong();

    @Activate
    public BwrapBackend(Config config) throws IOException {
        this.config = config;
        this.binary = Path.of(config.binary());
        this.setpriv = Path.of(config.setpriv());
        if (config.graceMillis() < 0 || config.startTimeoutMillis() <= 0) {
            throw new IllegalArgumentException("graceMillis must be >= 0 and startTimeoutMillis > 0: "
                    + config.graceMillis() + ", " + config.startTimeoutMillis());
        }
        this.cgroups = CgroupTree.detect(Path.of(config.cgroupRoot()), config.cgroupParent());
        this.daemonIsRoot = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        this.privateDir = Files.createTempDirectory("crustyclaw-bwrap-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        this.seccompFile = privateDir.resolve("seccomp.bpf");
        Files.write(seccompFile, SeccompFilter.program());
        Path etc = Files.createDirectory(privateDir.resolve("etc"));
        Files.setPosixFilePermissions(privateDir, PosixFilePermissions.fromString("rwx--x--x"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n"
                + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
                + "sandbox:x:" + config.sandboxUid() + ":" + config.sandboxGid() + ":sandbox:/tmp:/bin/sh\n",
                StandardCharsets.US_ASCII);
        Files.writeString(etc.resolve("group"), "root:x:0:\nnogroup:x:65534:\nsandbox:x:" + config.sandboxGid()
                + ":\n", StandardCharsets.US_ASCII);
        this.readOnlyPaths = readOnlyPaths(List.of(config.readOnlyBinds()));
        this.relayDir = Files.createDirectory(privateDir.resolve("relay"));
        String classFile = EgressRelay.class.getName().replace('.', '/') + ".class";
        Path relayClass = relayDir.resolve(classFile);
        Files.createDirectories(relayClass.getParent());
        try (var in = EgressRelay.class.getClassLoader().getResourceAsStream(classFile)) {
            if (in == null) {
                throw new IOException("the bundle lacks " + classFile);
            }
            Files.copy(in, relayClass);
        }
        this.jdkLinks = linkedDirectories(JAVA_HOME);
        try (var paths = Files.walk(relayDir)) {
            for (Path p : paths.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        this.pumps = Executors.newCachedThreadPool(daemonThreads("bwrap-output-"));
        this.timers = new ScheduledThreadPoolExecutor(1, daemonThreads("bwrap-housekeeping-"));
        timers.setRemoveOnCancelPolicy(true);
    }

    /**
     * The configured read-only paths as bwrap should show them. A host symlink whose target
     * lies in another configured directory (merged /usr: /bin, /lib, /sbin, /lib64) becomes
     * the same symlink inside, to the target's real path: the same read-only files without a
     * bind mount. Anything else is bound, and skipped by bwrap when it is missing.
     */
    static List<BwrapCommand.ReadOnlyPath> readOnlyPaths(List<String> paths) {
        List<Path> boundDirs = new ArrayList<>();
        for (String p : paths) {
            Path path = Path.of(p);
            try {
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) && path.toRealPath().equals(path)) {
                    boundDirs.add(path);
                }
            } catch (IOException e) {
                // not there: nothing can point into it
            }
        }
        List<BwrapCommand.ReadOnlyPath> result = new ArrayList<>();
        for (String p : paths) {
            Path path = Path.of(p);
            Optional<String> target = Optional.empty();
            if (Files.isSymbolicLink(path)) {
                try {
                    Path real = path.toRealPath();
                    if (boundDirs.stream().anyMatch(real::startsWith)) {
                        target = Optional.of(real.toString());
                    }
                } catch (IOException e) {
                    // dangling: let bwrap skip it
                }
            }
            result.add(new BwrapCommand.ReadOnlyPath(p, target));
        }
        return List.copyOf(result);
    }

    /** The directories outside {@code jdk} that its symlinks point into (the relay's JVM reads them). */
    static List<Path> linkedDirectories(Path jdk) throws IOException {
        java.util.Set<Path> dirs = new java.util.TreeSet<>();
        try (var files = Files.walk(jdk.resolve("conf"))) {
            for (Path p : files.toList()) {
                if (Files.isSymbolicLink(p)) {
                    try {
                        Path real = p.toRealPath();
                        if (!real.startsWith(jdk.toRealPath()) && !real.startsWith("/usr")) {
                            dirs.add(real.getParent());
                        }
                    } catch (IOException e) {
                        // dangling: the JVM will not find it outside either
                    }
                }
            }
        }
        return List.copyOf(dirs);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Deactivate
    public void deactivate() throws IOException {
        pumps.shutdown();
        timers.shutdown(); // queued removals of finished sandboxes' cgroups still run
        try {
            timers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(privateDir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public IsolationLevel level() {
        return IsolationLevel.L2;
    }

    @Override
    public Optional<String> unavailableBecause() {
        if (!Files.isExecutable(binary)) {
            return Optional.of(binary + " not found (install the bubblewrap package)");
        }
        if (!"amd64".equals(System.getProperty("os.arch")) && !"x86_64".equals(System.getProperty("os.arch"))) {
            return Optional.of("the seccomp filter is written for x86_64; this host is " + System.getProperty("os.arch"));
        }
        if (cgroups.tree().isEmpty()) {
            return Optional.of(cgroups.unavailableBecause());
        }
        if (daemonIsRoot && !Files.isExecutable(setpriv)) {
            return Optional.of(setpriv + " not found (install util-linux): needed to drop root before bwrap");
        }
        if (CgroupTree.number(Path.of("/proc/sys/user/max_user_namespaces")) == 0) {
            return Optional.of("user namespaces are disabled (/proc/sys/user/max_user_namespaces is 0)");
        }
        return Optional.empty();
    }

    @Override
    public ExecResult run(SandboxSpec spec, Consumer<OutputLine> lines) throws SandboxException {
        Optional<BwrapCommand.Egress> egress = spec.egress().map(socket -> new BwrapCommand.Egress(socket, relayDir,
                JAVA_HOME, jdkLinks));
        return BwrapSandbox.run(launch(spec.workspace(), spec.limits(), spec.image(), egress), spec.command(),
                spec.environment(), lines);
    }

    @Override
    public PreparedSandbox prepare(Path workspace, ResourceLimits limits, String image) throws SandboxException {
        return BwrapSandbox.prepare(launch(workspace, limits, image, Optional.empty()));
    }

    private BwrapSandbox.Launch launch(Path workspace, ResourceLimits limits, String image,
            Optional<BwrapCommand.Egress> egress) throws SandboxException {
        if (!"base".equals(image)) {
            throw new IllegalArgumentException("bwrap runs the host's system directories: image '" + image
                    + "' is not available, only 'base'");
        }
        if (!workspace.isAbsolute() || !Files.isDirectory(workspace)) {
            throw new IllegalArgumentException("workspace is not an existing absolute directory: " + workspace);
        }
        Optional<String> unavailable = unavailableBecause();
        if (unavailable.isPresent()) {
            throw new SandboxException("bwrap cannot run here: " + unavailable.get());
        }
        int[] ids = sandboxIds(workspace);
        Cgroup cgroup;
        try {
            cgroup = cgroups.tree().orElseThrow().create(groupPrefix + groups.incrementAndGet(), limits);
        } catch (IOException e) {
            throw new SandboxException("cannot make the sandbox's cgroup: " + e, e);
        }
        BwrapCommand.Host host = new BwrapCommand.Host(binary, setpriv,
                daemonIsRoot ? Optional.of(ids) : Optional.empty(), readOnlyPaths, privateDir.resolve("etc"));
        ProcessBuilder builder = new ProcessBuilder(BwrapCommand.argv(host, workspace, ids[0], ids[1], limits, egress));
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("CC_CGROUP_PROCS", String.join(" ", cgroup.procsFiles().stream().map(Path::toString).toList()));
        env.put("CC_SECCOMP", seccompFile.toString());
        env.put("CC_ETC", host.etcDir().toString());
        builder.directory(workspace.toFile());
        return new BwrapSandbox.Launch(builder, cgroup, workspace, limits,
                Duration.ofMillis(config.graceMillis()), Duration.ofMillis(config.startTimeoutMillis()), pumps, timers,
                egress);
    }

    /** The workspace's owner, unless that is root: a sandbox never runs as host root. */
    private int[] sandboxIds(Path workspace) throws SandboxException {
        try {
            Map<String, Object> owner = Files.readAttributes(workspace, "unix:uid,gid");
            int uid = (Integer) owner.get("uid");
            int gid = (Integer) owner.get("gid");
            return uid == 0 ? new int[] {config.sandboxUid(), config.sandboxGid()} : new int[] {uid, gid};
        } catch (IOException e) {
            throw new SandboxException("cannot read the owner of workspace " + workspace + ": " + e.getMessage(), e);
        }
    }
}
