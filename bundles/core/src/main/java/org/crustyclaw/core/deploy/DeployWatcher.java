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
    private final Map<String, Seen> seen = new HashMap<>();
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
            files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                    .forEach(f -> present.put(f.getFileName().toString(), f));
        }
        for (Bundle b : context.getBundles()) {
            String location = b.getLocation();
            if (location.startsWith(LOCATION_PREFIX) && !present.containsKey(location.substring(LOCATION_PREFIX.length()))) {
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
                    deploy(entry.getKey(), file);
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
        if (hooks.fire(HookEvent.of("plugin.install", true, Map.of("file", file.toString(), "name", name)))
                instanceof Hooks.Outcome.Vetoed veto) {
            fail(name, "refused by " + veto.hook() + ": " + veto.reason());
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

    private void remove(Bundle b) {
        String name = b.getLocation().substring(LOCATION_PREFIX.length());
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
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot copy " + jar + " into " + dir + ": " + e.getMessage(), e);
        }
        return awaitState(name, true, wait);
    }

    @Override
    public PluginBundle uninstall(String symbolicName, Duration wait) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName()) && b.getLocation().startsWith(LOCATION_PREFIX)) {
                String name = b.getLocation().substring(LOCATION_PREFIX.length());
                PluginBundle before = Components.describe(new Bundle[] {b}, scr).get(0);
                try {
                    Files.deleteIfExists(dir.resolve(name));
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot remove deploy/" + name + ": " + e.getMessage(), e);
                }
                awaitState(name, false, wait);
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

    private PluginBundle awaitState(String name, boolean installed, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            Bundle b = context.getBundle(LOCATION_PREFIX + name);
            if (installed && b != null && b.getState() == Bundle.ACTIVE) {
                return Components.describe(new Bundle[] {b}, scr).get(0);
            }
            if (!installed && b == null) {
                return null;
            }
            DeployProblem problem = problems.get(name);
            if (installed && problem != null) {
                throw new IllegalArgumentException("deploy/" + name + ": " + problem.reason());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("deploy/" + name + " was not " + (installed ? "installed" : "removed")
                + " within " + wait.toSeconds() + "s; see the daemon log");
    }
}
