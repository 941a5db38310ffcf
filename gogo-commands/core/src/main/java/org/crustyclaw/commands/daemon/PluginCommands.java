package org.crustyclaw.commands.daemon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.crustyclaw.api.runtime.DeployProblem;
import org.crustyclaw.api.runtime.PluginBundle;
import org.crustyclaw.api.runtime.PluginComponent;
import org.crustyclaw.api.runtime.PluginRegistry;
import org.crustyclaw.api.runtime.SpiType;
import org.crustyclaw.commands.format.Arguments;
import org.crustyclaw.commands.format.Output;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code plugins:list}, {@code plugins:install}, {@code plugins:uninstall}. */
@Component(service = PluginCommands.class, property = {
        "osgi.command.scope=plugins",
        "osgi.command.function=list",
        "osgi.command.function=install",
        "osgi.command.function=uninstall",
        "osgi.command.function=stop",
        "osgi.command.function=start"})
public final class PluginCommands {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final PluginRegistry registry;

    @Activate
    public PluginCommands(@Reference PluginRegistry registry) {
        this.registry = registry;
    }

    /** One row of {@code plugins list}: a component providing an SPI, or a bundle without one with --all. */
    public record Row(String spi, String name, String bundle, String version, String state, int ranking, long id) {}

    /** The JSON shape of {@code plugins list --json}. */
    public record Listing(List<Row> plugins, List<DeployProblem> problems) {}

    @Descriptor("lists plugins grouped by SPI type, with state and service ranking, then failed deploys")
    public String list(
            @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("list every bundle, not only plugins") @Parameter(names = "--all", presentValue = "true", absentValue = "false") boolean all) {
        List<Row> rows = new ArrayList<>();
        List<PluginBundle> bundles = registry.bundles();
        for (SpiType type : SpiType.values()) {
            for (PluginBundle b : bundles) {
                for (PluginComponent c : b.components()) {
                    if (c.spiTypes().contains(type)) {
                        rows.add(new Row(type.label(), c.label().isEmpty() ? c.name() : c.label(), b.symbolicName(),
                                b.version(), b.state().equals("active") ? c.state() : b.state(), c.ranking(), b.id()));
                    }
                }
            }
        }
        if (all) {
            bundles.stream().filter(b -> !b.isPlugin()).forEach(b -> rows.add(new Row("-", "-", b.symbolicName(), b.version(),
                    b.state(), 0, b.id())));
        }
        List<DeployProblem> problems = registry.problems();
        if (json) {
            return Output.json(new Listing(rows, problems));
        }
        String text = Output.table(rows);
        if (!problems.isEmpty()) {
            StringBuilder out = new StringBuilder(text).append("\nfailed in deploy/:\n");
            problems.forEach(p -> out.append("  ").append(p.file()).append(": ").append(p.reason()).append('\n'));
            text = out.toString();
        }
        return text;
    }

    /** What install, uninstall, stop and start did, for {@code --json}. */
    public record Changed(String action, String bundle, String version, long id, String state, int components) {
        static Changed of(String action, PluginBundle b) {
            return new Changed(action, b.symbolicName(), b.version(), b.id(), b.state(), b.components().size());
        }
    }

    @Descriptor("copies a plugin bundle jar into deploy/ and waits until it is active")
    public String install(CommandSession session,
            @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the bundle jar") String file) {
        PluginBundle b = registry.install(Arguments.path(session, file), WAIT);
        return json ? Output.json(Changed.of("installed", b)) : "installed " + b.symbolicName() + " " + b.version() + " (bundle "
                + b.id() + ", " + b.components().size() + " components)";
    }

    @Descriptor("stops a bundle (a plugin in deploy/ or one of bundle/) by symbolic name: its services leave until 'start'")
    public String stop(@Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the bundle's symbolic name") String name) {
        PluginBundle b = registry.stop(name);
        return json ? Output.json(Changed.of("stopped", b)) : "stopped " + b.symbolicName() + " " + b.version() + " (bundle "
                + b.id() + ")";
    }

    @Descriptor("starts a stopped bundle by symbolic name")
    public String start(@Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the bundle's symbolic name") String name) {
        PluginBundle b = registry.start(name);
        return json ? Output.json(Changed.of("started", b)) : "started " + b.symbolicName() + " " + b.version() + " (bundle "
                + b.id() + ", " + b.state() + ")";
    }

    @Descriptor("removes a plugin from deploy/ by its bundle symbolic name and waits until it is gone")
    public String uninstall(@Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the plugin's bundle symbolic name") String name) {
        PluginBundle b = registry.uninstall(name, WAIT);
        return json ? Output.json(Changed.of("uninstalled", b)) : "uninstalled " + b.symbolicName() + " " + b.version();
    }
}
