package org.crustyclaw.core.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.crustyclaw.api.audit.AuditException;
import org.crustyclaw.api.audit.AuditLog;
import org.crustyclaw.api.hook.HookEvent;
import org.crustyclaw.api.hook.Hooks;
import org.crustyclaw.api.runtime.DeployProblem;
import org.crustyclaw.api.runtime.PluginBundle;
import org.crustyclaw.api.runtime.PluginRegistry;
import org.crustyclaw.core.runtime.DaemonConfig;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * Watches {@code deploy/}: a jar that appears is checked (is it a bundle, does a hook veto
 * it), installed and started; a changed jar is updated; a removed jar is uninstalled. A jar
 * must look the same on two scans in a row before it is touched, so a half-copied file is
 * never installed. Failures are kept as {@link DeployProblem}s and never stop the daemon.
 */
@Component(configurationPid = "org.crustyclaw.daemon", immediate = true)
public final class DeployWatcher implements PluginRegistry {

    private static final System.Logger LOG = System.getLogger(DeployWatcher.class.getName());
    private static final String LOCATION_PREFIX = "deploy:";

    private final BundleContext context;
    private final Path dir;
    private final ServiceComponentRuntime scr;
    private final Hooks hooks;
    private final ScheduledExecutorService scanner;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final Map<String, DeployProblem> problems = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditLog audit;

    /** What a file looked like on the last scan, and whether it has been acted on in that shape. */
    private record Seen(long modified, long size, boolean handled) {}

    @Activate
    public DeployWatcher(BundleContext context, DaemonConfig config, @Reference ServiceComponentRuntime scr,
            @Reference Hooks hooks) throws IOException {
        this.context = context;
        this.scr = scr;
        this.hooks = hooks;
        String home = Objects.requireNonNullElse(context.getProperty("crustyclaw.home"), ".");
        this.dir = Path.of(Objects.requireNonNullElse(context.getProperty("crustyclaw.deploy.dir"), home + "/deploy"));
        Files.createDirectories(dir);
        this.scanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "deploy-watcher");
            t.setDaemon(true);
            return t;
        });
        scanner.scheduleWithFixedDelay(this::scanQuietly, 0, config.deployPollMillis(), TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void stop() {
        scanner.shutdownNow();
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "scan of " + dir + " failed: " + e.getMessage(), e);
        }
    }

    synchronized void scan() throws IOException {
        Map<String, Path> present = new HashMap<>();
        try (var files = Files.list(dir)) {
            files.filter(f -> (f.getFileName().toString().endsWith(".jar") || f.getFileName().toString().endsWith(".json"))
                    && Files.isRegularFile(f))
                    .forEach(f -> present.put(f.getFileName().toString(), f));
        }
        for (Bundle b : context.getBundles()) {
            String location = b.getLocation();
            if (location.startsWith(LOCATION_PREFIX) && !present.containsKey(deployedFile(location))) {
                remove(b);
            }
        }
        seen.keySet().retainAll(present.keySet());
        problems.keySet().retainAll(present.keySet());
        for (var entry : present.entrySet()) {
            Path file = entry.getValue();
            Seen now = new Seen(Files.getLastModifiedTime(file).toMillis(), Files.size(file), false);
            Seen before = seen.get(entry.getKey());
            if (before != null && before.modified() == now.modified() && before.size() == now.size()) {
                if (!before.handled()) {
                    if (entry.getKey().endsWith(".json")) {
                        deployFeature(entry.getKey(), file);
                    } else {
                        deploy(entry.getKey(), file);
                    }
                    seen.put(entry.getKey(), new Seen(now.modified(), now.size(), true));
                }
            } else {
                seen.put(entry.getKey(), now);
            }
        }
    }

    private void deploy(String name, Path file) {
        Optional<String> invalid = JarCheck.problem(file);
        if (invalid.isPresent()) {
            fail(name, invalid.get());
            return;
        }
        if (vetoed(name, file)) {
            return;
        }
        String location = LOCATION_PREFIX + name;
        Bundle existing = context.getBundle(location);
        try (InputStream in = Files.newInputStream(file)) {
            Bundle bundle;
            if (existing != null) {
                existing.update(in);
                bundle = existing;
            } else {
                bundle = context.installBundle(location, in);
            }
            try {
                bundle.start();
            } catch (BundleException e) {
                bundle.uninstall();
                fail(name, "does not resolve or start: " + e.getMessage());
                return;
            }
            problems.remove(name);
            record("plugin.install", Map.of("file", name, "bundle", bundle.getSymbolicName(), "version",
                    bundle.getVersion().toString()));
            LOG.log(Level.INFO, "deployed " + name + " as " + bundle.getSymbolicName() + " " + bundle.getVersion());
        } catch (IOException | BundleException | IllegalStateException e) {
            fail(name, "cannot install: " + e.getMessage());
        }
    }

    /** Offers the file to the {@code plugin.install} hooks; a veto is recorded as its problem. */
    private boolean vetoed(String name, Path file) {
        if (hooks.fire(HookEvent.of("plugin.install", true, Map.of("file", file.toString(), "name", name)))
                instanceof Hooks.Outcome.Vetoed veto) {
            fail(name, "refused by " + veto.hook() + ": " + veto.reason());
            return true;
        }
        return false;
    }

    /** The deploy/ file a bundle came from: {@code deploy:x.jar}, or {@code deploy:f.json!g:a:v} for a feature's bundle. */
    private static String deployedFile(String location) {
        String rest = location.substring(LOCATION_PREFIX.length());
        int bang = rest.indexOf('!');
        return bang < 0 ? rest : rest.substring(0, bang);
    }

    /**
     * Installs every bundle of a feature, or none: a bundle that cannot be found or started
     * rolls the whole feature back. Bundles the framework already has (same symbolic name and
     * version, e.g. from bundle/) are shared, not installed twice. A changed file replaces the
     * feature's bundles; a removed one uninstalls them.
     */
    private void deployFeature(String name, Path file) {
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().startsWith(LOCATION_PREFIX + name + "!")) {
                remove(b);
            }
        }
        List<FeatureFile.Entry> entries;
        try {
            entries = FeatureFile.read(file);
        } catch (IllegalArgumentException e) {
            fail(name, e.getMessage());
            return;
        }
        String home = Objects.requireNonNullElse(context.getProperty("crustyclaw.home"), ".");
        Path repository = Path.of(System.getProperty("user.home"), ".m2", "repository");
        List<Path> jars = new ArrayList<>();
        for (FeatureFile.Entry e : entries) {
            Optional<Path> jar = FeatureFile.locate(e, List.of(Path.of(home, "bundle"), dir), repository);
            if (jar.isEmpty()) {
                fail(name, "bundle " + e.coordinates() + " not found as " + e.fileName() + " in " + Path.of(home, "bundle")
                        + ", " + dir + " or " + repository);
                return;
            }
            Optional<String> invalid = JarCheck.problem(jar.get());
            if (invalid.isPresent()) {
                fail(name, e.coordinates() + ": " + invalid.get());
                return;
            }
            jars.add(jar.get());
        }
        if (vetoed(name, file)) {
            return;
        }
        // each jar the feature would install is offered too (a signature check sees code, not the JSON)
        for (Path jar : jars) {
            try {
                if (!alreadyInstalled(jar) && vetoed(name, jar)) {
                    return;
                }
            } catch (IOException e) {
                fail(name, "cannot read " + jar + ": " + e.getMessage());
                return;
            }
        }
        List<Bundle> installed = new ArrayList<>();
        try {
            for (int i = 0; i < entries.size(); i++) {
                if (!alreadyInstalled(jars.get(i))) {
                    try (InputStream in = Files.newInputStream(jars.get(i))) {
                        installed.add(context.installBundle(LOCATION_PREFIX + name + "!" + entries.get(i).coordinates(), in));
                    }
                }
            }
            for (Bundle b : installed) {
                b.start();
            }
        } catch (IOException | BundleException | IllegalStateException e) {
            for (Bundle b : installed) {
                try {
                    b.uninstall();
                } catch (BundleException | IllegalStateException ignored) {
                    // already gone
                }
            }
            fail(name, "feature rolled back: " + e.getMessage());
            return;
        }
        problems.remove(name);
        record("plugin.install", Map.of("file", name, "bundles", String.valueOf(installed.size())));
        LOG.log(Level.INFO, "deployed feature " + name + ": " + installed.size() + " bundles");
    }

    private boolean alreadyInstalled(Path jar) throws IOException {
        try (var j = new java.util.jar.JarFile(jar.toFile())) {
            var main = j.getManifest().getMainAttributes();
            String bsn = main.getValue("Bundle-SymbolicName").split(";")[0].strip();
            String version = Objects.requireNonNullElse(main.getValue("Bundle-Version"), "0.0.0").strip();
            for (Bundle b : context.getBundles()) {
                if (bsn.equals(b.getSymbolicName()) && org.osgi.framework.Version.parseVersion(version).equals(b.getVersion())) {
                    return true;
                }
            }
            return false;
        }
    }

    private void remove(Bundle b) {
        String name = deployedFile(b.getLocation());
        try {
            String bsn = b.getSymbolicName();
            b.uninstall();
            record("plugin.uninstall", Map.of("file", name, "bundle", String.valueOf(bsn)));
            LOG.log(Level.INFO, "undeployed " + name);
        } catch (BundleException | IllegalStateException e) {
            LOG.log(Level.WARNING, "cannot uninstall " + name + ": " + e.getMessage());
        }
    }

    private void fail(String name, String reason) {
        problems.put(name, new DeployProblem(name, reason, Instant.now()));
        record("plugin.refused", Map.of("file", name, "reason", reason));
        LOG.log(Level.WARNING, "deploy/" + name + ": " + reason);
    }

    private void record(String type, Map<String, String> payload) {
        AuditLog log = audit;
        if (log != null) {
            try {
                log.append(type, "daemon", payload);
            } catch (AuditException e) {
                LOG.log(Level.ERROR, "audit log refused " + type + ": " + e.getMessage());
            }
        }
    }

    @Override
    public List<PluginBundle> bundles() {
        return Components.describe(context.getBundles(), scr);
    }

    @Override
    public List<DeployProblem> problems() {
        return List.copyOf(problems.values());
    }

    @Override
    public PluginBundle install(Path jar, Duration wait) {
        JarCheck.problem(jar).ifPresent(p -> {
            throw new IllegalArgumentException(jar + ": " + p);
        });
        String name = jar.getFileName().toString();
        Path target = dir.resolve(name);
        try {
            Path temp = Files.createTempFile(dir, ".installing-", ".tmp");
            Files.copy(jar, temp, StandardCopyOption.REPLACE_EXISTING);
            problems.remove(name);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return awaitInstalled(name, Files.getLastModifiedTime(target).toMillis(), wait);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot copy " + jar + " into " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public PluginBundle uninstall(String symbolicName, Duration wait) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName()) && b.getLocation().startsWith(LOCATION_PREFIX)) {
                String name = deployedFile(b.getLocation());
                PluginBundle before = Components.describe(new Bundle[] {b}, scr).get(0);
                try {
                    Files.deleteIfExists(dir.resolve(name));
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot remove deploy/" + name + ": " + e.getMessage(), e);
                }
                long deadline = System.nanoTime() + wait.toNanos();
                while (b.getState() != Bundle.UNINSTALLED) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("deploy/" + name + " was removed but " + symbolicName
                                + " is still installed after " + wait.toSeconds() + "s; see the daemon log");
                    }
                    sleep(50);
                }
                return before;
            }
        }
        List<String> deployed = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().startsWith(LOCATION_PREFIX)) {
                deployed.add(b.getSymbolicName());
            }
        }
        throw new IllegalArgumentException("no plugin '" + symbolicName + "' was deployed; deployed plugins: "
                + (deployed.isEmpty() ? "none" : String.join(", ", deployed)));
    }

    @Override
    public PluginBundle stop(String symbolicName) {
        Bundle b = bySymbolicName(symbolicName);
        try {
            b.stop();
        } catch (BundleException e) {
            throw new IllegalArgumentException("cannot stop " + symbolicName + ": " + e.getMessage(), e);
        }
        record("plugin.stop", Map.of("bundle", symbolicName));
        return Components.describe(new Bundle[] {b}, scr).get(0);
    }

    @Override
    public PluginBundle start(String symbolicName) {
        Bundle b = bySymbolicName(symbolicName);
        try {
            b.start();
        } catch (BundleException e) {
            throw new IllegalArgumentException("cannot start " + symbolicName + ": " + e.getMessage(), e);
        }
        record("plugin.start", Map.of("bundle", symbolicName));
        return Components.describe(new Bundle[] {b}, scr).get(0);
    }

    private Bundle bySymbolicName(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                if (b.getBundleId() == 0) {
                    throw new IllegalArgumentException("the framework itself cannot be stopped this way; use 'crustyclaw stop'");
                }
                return b;
            }
        }
        throw new IllegalArgumentException("no bundle named '" + symbolicName + "'; 'crustyclaw plugins list --all' lists them");
    }

    /** Waits until the scanner has acted on the file as last modified at {@code modified}. */
    private PluginBundle awaitInstalled(String name, long modified, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            Bundle b = context.getBundle(LOCATION_PREFIX + name);
            Seen state = seen.get(name);
            boolean handled = state != null && state.handled() && state.modified() == modified;
            if (handled && b != null && b.getState() == Bundle.ACTIVE) {
                return Components.describe(new Bundle[] {b}, scr).get(0);
            }
            DeployProblem problem = problems.get(name);
            if (handled && problem != null) {
                throw new IllegalArgumentException("deploy/" + name + ": " + problem.reason());
            }
            sleep(50);
        }
        throw new IllegalStateException("deploy/" + name + " was not installed within " + wait.toSeconds()
                + "s; see the daemon log");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for deploy/", e);
        }
    }
}
