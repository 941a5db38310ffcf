package org.crustyclaw.commands.daemon;

import java.util.List;

import org.crustyclaw.api.command.AreaUsage;
import org.crustyclaw.api.command.ArgumentUsage;
import org.crustyclaw.api.command.CommandArea;
import org.crustyclaw.api.command.OptionUsage;
import org.crustyclaw.api.command.VerbUsage;
import org.osgi.service.component.annotations.Component;

/** Usage of {@link PluginCommands}. */
@Component(service = CommandArea.class)
public final class PluginsArea implements CommandArea {

    static final AreaUsage USAGE = new AreaUsage("plugins", "plugin bundles: list, install into deploy/, stop and start", List.of(
            VerbUsage.of("list", "lists plugins grouped by SPI type, with state and service ranking, then failed deploys",
                    List.of(OptionUsage.JSON, OptionUsage.flag("--all", "list every bundle, not only plugins")), List.of(),
                    "crustyclaw plugins list --all"),
            VerbUsage.of("install", "copies a plugin bundle jar into deploy/ and waits until it is active", List.of(OptionUsage.JSON),
                    List.of(ArgumentUsage.required("FILE", "the bundle jar")), "crustyclaw plugins install ./my-tool.jar"),
            VerbUsage.of("uninstall", "removes a plugin from deploy/ by its bundle symbolic name and waits until it is gone",
                    List.of(OptionUsage.JSON), List.of(ArgumentUsage.required("NAME", "the plugin's bundle symbolic name")),
                    "crustyclaw plugins uninstall org.example.mytool"),
            VerbUsage.of("stop", "stops a bundle (a plugin in deploy/ or one of bundle/) by symbolic name: its services leave"
                    + " until 'start'", List.of(OptionUsage.JSON), List.of(ArgumentUsage.required("NAME", "the bundle's symbolic name")),
                    "crustyclaw plugins stop org.crustyclaw.sandbox.docker"),
            VerbUsage.of("start", "starts a stopped bundle by symbolic name", List.of(OptionUsage.JSON),
                    List.of(ArgumentUsage.required("NAME", "the bundle's symbolic name")),
                    "crustyclaw plugins start org.crustyclaw.sandbox.docker")));

    @Override
    public AreaUsage usage() {
        return USAGE;
    }
}
