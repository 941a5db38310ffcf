package org.crustyclaw.commands.daemon;

import java.util.List;

import org.crustyclaw.api.command.AreaUsage;
import org.crustyclaw.api.command.ArgumentUsage;
import org.crustyclaw.api.command.CommandArea;
import org.crustyclaw.api.command.OptionUsage;
import org.crustyclaw.api.command.VerbUsage;
import org.osgi.service.component.annotations.Component;

/** Usage of {@link ConfigCommands}. */
@Component(service = CommandArea.class)
public final class ConfigArea implements CommandArea {

    static final AreaUsage USAGE = new AreaUsage("config", "the configuration file: show, check, reload, reference", List.of(
            VerbUsage.of("show", "shows the effective configuration: file values over defaults, secrets redacted",
                    List.of(OptionUsage.JSON), List.of(), "crustyclaw config show"),
            VerbUsage.of("validate", "checks FILE (default: the configuration in use) against the schema of every installed"
                    + " bundle; prints each problem as file:line:column; exit 1 when there are problems; works without a daemon",
                    List.of(OptionUsage.JSON), List.of(ArgumentUsage.optional("FILE", "the TOML file to check")),
                    "crustyclaw config validate ./crustyclaw.toml"),
            VerbUsage.of("reload", "re-reads the configuration file and applies what changed, or rejects it whole (same as SIGHUP)",
                    List.of(OptionUsage.JSON), List.of(), "crustyclaw config reload"),
            VerbUsage.of("reference", "prints every section and key the installed bundles accept, as Markdown",
                    List.of(), List.of(), "crustyclaw config reference > configuration.md"),
            VerbUsage.of("path", "prints the configuration file in use", List.of(OptionUsage.JSON), List.of(), "crustyclaw config path")));

    @Override
    public AreaUsage usage() {
        return USAGE;
    }
}
