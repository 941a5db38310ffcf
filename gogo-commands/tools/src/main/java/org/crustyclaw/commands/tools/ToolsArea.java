package org.crustyclaw.commands.tools;

import java.util.List;

import org.crustyclaw.api.command.AreaUsage;
import org.crustyclaw.api.command.ArgumentUsage;
import org.crustyclaw.api.command.CommandArea;
import org.crustyclaw.api.command.OptionUsage;
import org.crustyclaw.api.command.VerbUsage;
import org.osgi.service.component.annotations.Component;

/** Usage of {@link ToolCommands}. */
@Component(service = CommandArea.class)
public final class ToolsArea implements CommandArea {

    static final AreaUsage USAGE = new AreaUsage("tools", "the tools agents call: list them, show one, try one", List.of(
            VerbUsage.of("list", "lists the installed tools: name, side effects, permissions, description",
                    List.of(OptionUsage.JSON), List.of(), "crustyclaw tools list"),
            VerbUsage.of("show", "shows one tool as a model sees it: description, tier, side effects, permissions,"
                    + " JSON schema", List.of(OptionUsage.JSON),
                    List.of(ArgumentUsage.required("NAME", "the tool's name")), "crustyclaw tools show file_read --json"),
            VerbUsage.of("call", "calls a tool with JSON arguments in a fresh workspace sandbox, under policy"
                    + " (tool.call on tool.NAME) and audit; exits 1 when the tool returns an error",
                    List.of(OptionUsage.text("--tier", "TIER", "trust tier of the sandbox its commands run in")
                                    .withDefault("trusted"),
                            OptionUsage.text("--workspace", "DIR", "an existing directory to work in (default: a fresh"
                                    + " workspace)"),
                            OptionUsage.text("--image", "IMAGE", "the sandbox image: base or build").withDefault("base"),
                            OptionUsage.text("--max-output", "CHARS", "most characters of the result")
                                    .withDefault("20000"),
                            OptionUsage.JSON),
                    List.of(ArgumentUsage.required("NAME", "the tool's name"),
                            ArgumentUsage.required("JSON", "the arguments as a JSON object")),
                    "crustyclaw tools call shell '{\"command\":\"ls -la\"}'")));

    @Override
    public AreaUsage usage() {
        return USAGE;
    }
}
