package org.crustyclaw.commands.sandbox;

import java.util.List;

import org.crustyclaw.api.command.AreaUsage;
import org.crustyclaw.api.command.ArgumentUsage;
import org.crustyclaw.api.command.CommandArea;
import org.crustyclaw.api.command.OptionUsage;
import org.crustyclaw.api.command.VerbUsage;
import org.osgi.service.component.annotations.Component;

/** Usage of {@link SandboxCommands}. */
@Component(service = CommandArea.class)
public final class SandboxArea implements CommandArea {

    static final AreaUsage USAGE = new AreaUsage("sandbox", "sandboxes: backends, warm pools, and running a command in one", List.of(
            VerbUsage.of("list", "lists the sandbox backends, their isolation level and whether they can run here, and where"
                    + " fresh workspaces are made", List.of(OptionUsage.JSON), List.of(), "crustyclaw sandbox list"),
            VerbUsage.of("pool", "shows the warm pools: size, idle, starting, in use, handed out, refills in the last minute,"
                    + " acquire p50/p99", List.of(OptionUsage.JSON), List.of(), "crustyclaw sandbox pool --json"),
            VerbUsage.of("run", "runs a command in a sandbox chosen by trust tier (or a named backend), streaming its output;"
                    + " exits with the command's exit code",
                    List.of(OptionUsage.text("--tier", "TIER", "trust tier: trusted, internal, untrusted, llm-generated")
                                    .withDefault("trusted"),
                            OptionUsage.text("--backend", "NAME", "a backend by name, e.g. bwrap, docker-runc, docker-runsc"),
                            OptionUsage.text("--memory", "SIZE", "memory limit, e.g. 256m"),
                            OptionUsage.text("--timeout", "DURATION", "wall-clock limit, e.g. 30s"),
                            OptionUsage.text("--disk", "SIZE", "disk space of a fresh workspace and /tmp, e.g. 1g").withDefault("512m"),
                            OptionUsage.text("--workspace", "DIR", "an existing directory to work in (default: a fresh one)"),
                            OptionUsage.text("--image", "IMAGE", "the image of Docker backends: base (busybox) or build (JDK 17,"
                                    + " git)").withDefault("base"),
                            OptionUsage.text("--skill", "NAME", "the skill the command runs as: its [egress.skills.NAME] rules"
                                    + " and secrets apply (default: none, no network)"),
                            OptionUsage.flag("--json", "print JSON: one object per output line, then the result")),
                    List.of(ArgumentUsage.rest("CMD", "the command and its arguments; put -- before a command whose"
                            + " arguments look like these options")),
                    "crustyclaw sandbox run --tier internal --timeout 30s -- sh -c 'uname -a'")));

    @Override
    public AreaUsage usage() {
        return USAGE;
    }
}
