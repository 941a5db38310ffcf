package org.crustyclaw.commands.daemon;

import java.nio.file.Path;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.crustyclaw.api.config.ConfigProblem;
import org.crustyclaw.api.config.ConfigService;
import org.crustyclaw.api.config.ReloadResult;
import org.crustyclaw.api.runtime.CommandFailedException;
import org.crustyclaw.commands.format.Arguments;
import org.crustyclaw.commands.format.Output;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code config:show}, {@code config:validate}, {@code config:path}. */
@Component(service = ConfigCommands.class, property = {
        "osgi.command.scope=config",
        "osgi.command.function=show",
        "osgi.command.function=validate",
        "osgi.command.function=path",
        "osgi.command.function=reference",
        "osgi.command.function=reload"})
public final class ConfigCommands {

    private final ConfigService config;

    @Activate
    public ConfigCommands(@Reference ConfigService config) {
        this.config = config;
    }

    public record Effective(String file, String toml) {}

    public record Validation(String file, boolean valid, List<ConfigProblem> problems) {}

    @Descriptor("shows the effective configuration: file values over defaults, secrets redacted")
    public String show(@Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        String toml = config.effective();
        return json ? Output.json(new Effective(config.file().toString(), toml)) : toml;
    }

    @Descriptor("checks the configuration in use against the schema of every installed bundle")
    public String validate(@Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        return validate(null, json, config.file().toString());
    }

    @Descriptor("checks a configuration file against the schema of every installed bundle")
    public String validate(CommandSession session,
            @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("the TOML file to check") String file) {
        Path path = Arguments.path(session, file);
        List<ConfigProblem> problems = config.validate(path);
        Validation result = new Validation(path.toString(), problems.isEmpty(), problems);
        if (json) {
            if (problems.isEmpty()) {
                return Output.json(result);
            }
            throw new CommandFailedException(1, Output.json(result));
        }
        if (problems.isEmpty()) {
            return path + ": valid";
        }
        StringBuilder out = new StringBuilder(path + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "\n");
        problems.forEach(p -> out.append("  ").append(p).append('\n'));
        throw new CommandFailedException(1, out.toString());
    }

    @Descriptor("prints the configuration reference (Markdown) from the metatype of every installed bundle")
    public String reference() {
        return config.reference();
    }

    /** What {@code config reload --json} prints when the file was applied. */
    public record Reloaded(String file, List<String> changed) {}

    /** What {@code config path --json} prints. */
    public record FileInUse(String file) {}

    @Descriptor("re-reads the configuration file and applies what changed, or rejects it whole (same as SIGHUP)")
    public String reload(@Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        ReloadResult result = config.reload();
        if (result instanceof ReloadResult.Rejected r) {
            if (json) {
                throw new CommandFailedException(1, Output.json(new Validation(config.file().toString(), false, r.problems())));
            }
            StringBuilder out = new StringBuilder(config.file() + " rejected; the previous configuration stays in force:\n");
            r.problems().forEach(p -> out.append("  ").append(p).append('\n'));
            throw new CommandFailedException(1, out.toString());
        }
        List<String> changed = ((ReloadResult.Applied) result).changed();
        if (json) {
            return Output.json(new Reloaded(config.file().toString(), changed));
        }
        return "reloaded " + config.file() + (changed.isEmpty() ? "; nothing changed" : "; changed: " + String.join(", ", changed));
    }

    @Descriptor("prints the configuration file in use")
    public String path(@Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
        return json ? Output.json(new FileInUse(config.file().toString())) : config.file().toString();
    }
}
