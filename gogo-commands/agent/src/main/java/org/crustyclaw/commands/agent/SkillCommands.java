package org.crustyclaw.commands.agent;

import java.nio.file.Path;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.crustyclaw.api.agent.SkillManifest;
import org.crustyclaw.api.agent.Skills;
import org.crustyclaw.api.config.ConfigProblem;
import org.crustyclaw.api.runtime.CommandFailedException;
import org.crustyclaw.commands.format.Arguments;
import org.crustyclaw.commands.format.Output;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code skills:list|show|validate}: thin over {@link Skills}. */
@Component(service = SkillCommands.class, property = {"osgi.command.scope=skills", "osgi.command.function=list",
        "osgi.command.function=show", "osgi.command.function=validate"})
public final class SkillCommands {

    private final Skills skills;

    @Activate
    public SkillCommands(@Reference Skills skills) {
        this.skills = skills;
    }

    @Descriptor("lists the skills (directory and bundle skills); skill directories that fail to load follow on stderr")
    public String list(@Descriptor("print JSON") @Parameter(names = "--json", absentValue = "false", presentValue = "true") boolean json) {
        List<ConfigProblem> problems = skills.problems();
        if (!problems.isEmpty()) {
            System.err.println("skills that did not load:");
            problems.forEach(p -> System.err.println("  " + p));
        }
        return Output.render(skills.list().stream().map(TaskViews.SkillRow::of).toList(), json);
    }

    @Descriptor("shows one skill's manifest: model, tools, egress hosts, secrets, limits, budgets, review, prompt")
    public String show(@Descriptor("print JSON") @Parameter(names = "--json", absentValue = "false", presentValue = "true") boolean json,
            @Descriptor("the skill's name") String name) {
        SkillManifest m = skills.find(name).orElseThrow(() -> new CommandFailedException(1, "error: no skill '" + name
                + "'; skills: " + String.join(", ", skills.list().stream().map(SkillManifest::name).toList())));
        return Output.render(TaskViews.SkillDetail.of(m), json);
    }

    /** One problem of {@code skills validate}. */
    public record ProblemRow(String file, int line, int column, String key, String message) {}

    @Descriptor("checks a skill directory (or its skill.toml) without installing it; prints each problem as"
            + " file:line:column: key: what was expected; exit 1 when there are problems")
    public String validate(CommandSession session,
            @Descriptor("print JSON") @Parameter(names = "--json", absentValue = "false", presentValue = "true") boolean json,
            @Descriptor("the skill directory") String dir) {
        Path path = Arguments.path(session, dir);
        List<ConfigProblem> problems = skills.validate(path);
        if (problems.isEmpty()) {
            return json ? "[ ]" : path + ": ok";
        }
        if (json) {
            System.out.println(Output.json(problems.stream().map(p -> new ProblemRow(p.file(), p.line(), p.column(),
                    p.path(), p.message())).toList()));
            throw new CommandFailedException(1, path + ": " + problems.size() + " problem(s)");
        }
        throw new CommandFailedException(1, String.join("\n", problems.stream().map(ConfigProblem::toString).toList()));
    }
}
