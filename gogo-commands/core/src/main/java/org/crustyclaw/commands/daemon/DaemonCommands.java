package org.crustyclaw.commands.daemon;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.crustyclaw.api.channel.Channel;
import org.crustyclaw.api.command.AreaUsage;
import org.crustyclaw.api.command.CommandCatalog;
import org.crustyclaw.api.command.VerbUsage;
import org.crustyclaw.api.runtime.CommandFailedException;
import org.crustyclaw.api.runtime.Daemon;
import org.crustyclaw.api.runtime.DaemonInfo;
import org.crustyclaw.api.runtime.Health;
import org.crustyclaw.api.runtime.HealthCheck;
import org.crustyclaw.api.runtime.PluginBundle;
import org.crustyclaw.api.runtime.PluginRegistry;
import org.crustyclaw.api.runtime.SpiType;
import org.crustyclaw.api.sandbox.Sandboxes;
import org.crustyclaw.api.sandbox.WorkspaceStatus;
import org.crustyclaw.commands.catalog.UsageText;
import org.crustyclaw.commands.format.Output;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** {@code crustyclaw:status}, {@code crustyclaw:stop} and {@code crustyclaw:help}. */
@Component(service = DaemonCommands.class, property = {
        "osgi.command.scope=crustyclaw",
        "osgi.command.function=status",
        "osgi.command.function=stop",
        "osgi.command.function=help"})
public final class DaemonCommands {

    private final BundleContext context;
    private final Daemon daemon;
    private final PluginRegistry registry;
    private final CommandCatalog catalog;
    private final List<Channel> channels = new CopyOnWriteArrayList<>();
    private final List<HealthCheck> healthChecks = new CopyOnWriteArrayList<>();
    private volatile Sandboxes sandboxes;

    @Activate
    public DaemonCommands(BundleContext context, @Reference Daemon daemon, @Reference PluginRegistry registry,
            @Reference CommandCatalog catalog) {
        this.context = context;
        this.catalog = catalog;
        this.daemon = daemon;
        this.registry = registry;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addChannel(Channel channel) {
        channels.add(channel);
    }

    void removeChannel(Channel channel) {
        channels.remove(channel);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addHealthCheck(HealthCheck check) {
        healthChecks.add(check);
    }

    void removeHealthCheck(HealthCheck check) {
        healthChecks.remove(check);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setSandboxes(Sandboxes service) {
        this.sandboxes = service;
    }

    void unsetSandboxes(Sandboxes service) {
        if (this.sandboxes == service) {
            this.sandboxes = null;
        }
    }

    /**
     * What {@code status} shows; also its JSON shape.
     *
     * @param workspaces where sandbox runs get fresh workspaces; empty without a sandbox manager
     * @param problems   conditions that make something fail until they pass, each a sentence
     * @param health     each service's own check; {@code healthy} is false when any fails
     */
    public record Status(boolean running, boolean healthy, long pid, Duration uptime, String version, String commit, String java,
            String stateDir, String config, Map<String, Integer> bundles, Map<String, List<String>> plugins,
            List<ChannelRow> channels, int deployProblems, String workspaces, List<String> problems, List<Health> health) {}

    public record ChannelRow(String name, boolean connected) {}

    @Descriptor("shows whether the daemon runs, its pid, uptime, version, bundles, plugins, channels, workspace root and problems")
    public String status(CommandSession session, @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        DaemonInfo info = daemon.info();
        Map<String, Integer> bundleStates = new TreeMap<>();
        Map<String, List<String>> plugins = new TreeMap<>();
        for (PluginBundle b : registry.bundles()) {
            bundleStates.merge(b.state(), 1, Integer::sum);
            b.components().forEach(c -> c.spiTypes().forEach(t -> plugins.computeIfAbsent(t.label(), k -> new ArrayList<>())
                    .add(c.label().isEmpty() ? c.name() : c.label())));
        }
        List<ChannelRow> channelRows = channels.stream().map(c -> new ChannelRow(c.name(), c.connected())).toList();
        Sandboxes sandboxManager = sandboxes;
        Optional<WorkspaceStatus> ws = Optional.ofNullable(sandboxManager).map(Sandboxes::workspaces);
        List<String> problems = ws.flatMap(WorkspaceStatus::unavailableBecause).map(r -> List.of("sandbox: " + r))
                .orElse(List.of());
        List<Health> health = health();
        boolean healthy = health.stream().allMatch(Health::healthy);
        Status status = new Status(true, healthy, info.pid(), Duration.between(info.startedAt(), Instant.now()), info.version(),
                info.commit(), info.javaVersion(), info.stateDir().toString(), info.configFile().toString(), bundleStates,
                plugins, channelRows, registry.problems().size(), ws.map(w -> w.root().toString()).orElse(""), problems, health);
        String text = json ? Output.json(status) : human(info, status);
        if (!healthy) {
            // The status itself goes to stdout as usual; the exit code and one line on stderr say it is not well.
            session.getConsole().print(text.endsWith("\n") ? text : text + "\n");
            session.getConsole().flush();
            throw new CommandFailedException(1, "crustyclaw runs, but not every service is healthy: " + String.join("; ",
                    health.stream().filter(h -> !h.healthy()).map(h -> h.service() + ": " + h.detail()).toList()));
        }
        return text;
    }

    /** Every health check's results; a check that throws is itself a failing result. */
    private List<Health> health() {
        List<Health> all = new ArrayList<>();
        for (HealthCheck check : healthChecks) {
            try {
                all.addAll(check.check());
            } catch (RuntimeException e) {
                all.add(Health.failing(check.getClass().getSimpleName(), "its check failed: " + e.getMessage()));
            }
        }
        all.sort(java.util.Comparator.comparing(Health::service));
        return all;
    }

    private static String human(DaemonInfo info, Status status) {
        Map<String, Integer> bundleStates = status.bundles();
        Map<String, List<String>> plugins = status.plugins();
        List<ChannelRow> channelRows = status.channels();
        List<String> problems = status.problems();
        StringBuilder out = new StringBuilder();
        out.append("crustyclaw ").append(info.version()).append(" (commit ").append(info.commit()).append(") running")
                .append(status.healthy() ? "" : ", UNHEALTHY").append('\n');
        out.append("  pid:      ").append(info.pid()).append('\n');
        out.append("  uptime:   ").append(Output.duration(status.uptime())).append('\n');
        out.append("  java:     ").append(info.javaVersion()).append('\n');
        out.append("  state:    ").append(info.stateDir()).append('\n');
        out.append("  config:   ").append(info.configFile()).append('\n');
        out.append("  bundles:  ").append(bundleStates.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList())
                .append('\n');
        out.append("  plugins:\n");
        for (SpiType t : SpiType.values()) {
            List<String> names = plugins.getOrDefault(t.label(), List.of());
            out.append("    ").append(String.format("%-18s", t.label() + ":")).append(names.isEmpty() ? "-" : String.join(", ", names))
                    .append('\n');
        }
        out.append("  channels: ").append(channelRows.isEmpty() ? "-" : channelRows.stream()
                .map(c -> c.name() + (c.connected() ? " (connected)" : " (disconnected)")).toList()).append('\n');
        if (!status.workspaces().isEmpty()) {
            out.append("  workspaces: ").append(status.workspaces()).append('\n');
        }
        problems.forEach(p -> out.append("  problem:  ").append(p).append('\n'));
        if (!status.health().isEmpty()) {
            out.append("  health:\n");
            status.health().forEach(h -> out.append("    ").append(String.format("%-18s", h.service() + ":"))
                    .append(h.healthy() ? "ok" : "FAILING: " + h.detail()).append('\n'));
        }
        if (status.deployProblems() > 0) {
            out.append("  deploy problems: ").append(status.deployProblems()).append(" (see 'crustyclaw plugins list')\n");
        }
        return out.toString();
    }

    @Descriptor("asks the daemon to drain and stop")
    public String stop() {
        daemon.shutdown("requested over the admin socket");
        return "stopping crustyclaw (pid " + daemon.info().pid() + ")";
    }

    @Descriptor("prints the usage of an area's verbs, or of one verb with its options and an example; no area: the areas")
    public void help(CommandSession session,
            @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the area, e.g. sandbox, then optionally the verb, e.g. run") String... words) throws Exception {
        PrintStream out = session == null ? System.out : session.getConsole();
        if (words.length == 0) {
            out.print(json ? Output.json(catalog.areas()) + "\n" : UsageText.areas(catalog.areas()));
            return;
        }
        if (words.length > 2) {
            throw new CommandFailedException(2, "usage error: help takes an area and a verb, not " + words.length
                    + " words\nusage: crustyclaw help [AREA [VERB]] [--json]");
        }
        String area = words[0];
        Optional<AreaUsage> usage = catalog.area(area);
        if (usage.isEmpty()) {
            List<String> functions = gogoFunctions(area);
            if (functions.isEmpty()) {
                throw new CommandFailedException(2, unknownArea(area));
            }
            // A plugin's area without a CommandArea: Gogo's own descriptions are all there is.
            for (String fn : functions) {
                if (words.length == 1 || fn.equals(area + ":" + words[1])) {
                    session.execute("felix:help " + fn);
                }
            }
            return;
        }
        if (words.length == 1) {
            out.print(json ? Output.json(usage.get()) + "\n" : UsageText.area(usage.get()));
            return;
        }
        VerbUsage verb = usage.get().verb(words[1]).orElseThrow(() -> new CommandFailedException(2, "unknown command '" + area
                + " " + words[1] + "'; '" + area + "' has: " + String.join(", ", usage.get().verbs().stream().map(VerbUsage::name)
                        .toList())));
        out.print(json ? Output.json(verb) + "\n" : UsageText.verb(area, verb));
    }

    /** "unknown area 'x'" with the areas there are: the daemon's verbs and the catalog's areas. */
    String unknownArea(String area) {
        return "unknown command area '" + area + "'; the areas are: " + String.join(", ", catalog.areas().stream()
                .map(AreaUsage::name).toList()) + " (and start, stop, status, version, shell; see 'crustyclaw --help')";
    }

    private List<String> gogoFunctions(String area) {
        List<String> functions = new ArrayList<>();
        if (!area.matches("[a-z][a-z0-9_-]*")) {
            return functions;
        }
        try {
            ServiceReference<?>[] refs = context.getServiceReferences((String) null, "(osgi.command.scope=" + area + ")");
            for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
                Object f = ref.getProperty("osgi.command.function");
                for (String name : f instanceof String[] a ? a : new String[] {String.valueOf(f)}) {
                    functions.add(area + ":" + name);
                }
            }
        } catch (InvalidSyntaxException e) {
            return functions;
        }
        return functions.stream().sorted().distinct().toList();
    }
}
