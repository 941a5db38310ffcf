package org.crustyclaw.commands.agent;

import java.util.List;

import org.crustyclaw.api.command.AreaUsage;
import org.crustyclaw.api.command.ArgumentUsage;
import org.crustyclaw.api.command.OptionUsage;
import org.crustyclaw.api.command.VerbUsage;

/** Usage of {@link AgentCommands}, {@link TaskCommands} and {@link SkillCommands}, registered by {@link RunArea}, {@link TasksArea}, {@link SkillsArea}. */
final class AgentAreas {

    private AgentAreas() {}

    static final ArgumentUsage TASK_ID = ArgumentUsage.required("ID", "the task id ('crustyclaw tasks list')");

    static final AreaUsage AGENT = new AreaUsage("agent", "running skills as durable agent tasks ('crustyclaw run')", List.of(
            VerbUsage.of("run", "runs a skill as a durable task; --follow streams model text, tool calls, results and"
                    + " approvals, and ends with the outcome (exit 0 only when the task succeeded)",
                    List.of(OptionUsage.text("--input", "TEXT|@FILE", "what the skill should do, or @FILE to read it from a file")
                                    .asRequired(),
                            OptionUsage.text("--workspace", "DIR", "an existing directory to work in, e.g. a checkout"
                                    + " (default: a fresh workspace)"),
                            OptionUsage.flag("--follow", "stream the task's events until it ends"),
                            OptionUsage.flag("--json", "print JSON: the task, or with --follow one object per event and then"
                                    + " the task")),
                    List.of(ArgumentUsage.required("SKILL", "the skill's name ('crustyclaw skills list')")),
                    "crustyclaw run repo-qa --workspace . --input \"where is the policy compiled?\" --follow")));

    static final AreaUsage TASKS = new AreaUsage("tasks", "agent tasks: their state, events, cancel and resume", List.of(
            VerbUsage.of("list", "lists the most recent tasks: id, skill, state, requester, turns, cost, why it stopped",
                    List.of(OptionUsage.integer(List.of("--limit"), "N", "how many, newest first").withDefault("20"),
                            OptionUsage.JSON), List.of(), "crustyclaw tasks list --limit 5"),
            VerbUsage.of("show", "shows one task: input, state, why it stopped, output, tokens and cost",
                    List.of(OptionUsage.JSON), List.of(TASK_ID), "crustyclaw tasks show t2k7mz9qrxa"),
            VerbUsage.of("logs", "prints a task's events: model text, tool calls and results, refusals, approvals, state"
                    + " changes; -f follows until the task ends",
                    List.of(OptionUsage.flag("-f", "--follow", "follow until the task ends"),
                            OptionUsage.flag("--json", "print JSON, one object per event")), List.of(TASK_ID),
                    "crustyclaw tasks logs -f t2k7mz9qrxa"),
            VerbUsage.of("cancel", "cancels a queued, running or waiting task; it stops at its next step",
                    List.of(OptionUsage.JSON), List.of(TASK_ID), "crustyclaw tasks cancel t2k7mz9qrxa"),
            VerbUsage.of("resume", "continues an interrupted, failed or escalated task from its last completed step;"
                    + " finished tool calls are not run again",
                    List.of(OptionUsage.flag("--follow", "stream the task's events until it ends"), OptionUsage.JSON),
                    List.of(TASK_ID), "crustyclaw tasks resume --follow t2k7mz9qrxa")));

    static final AreaUsage SKILLS = new AreaUsage("skills", "skills: directory skills (skills/NAME/skill.toml) and bundle"
            + " skills", List.of(
            VerbUsage.of("list", "lists the skills; skill directories that fail to load follow on stderr",
                    List.of(OptionUsage.JSON), List.of(), "crustyclaw skills list"),
            VerbUsage.of("show", "shows one skill's manifest: model, tools, egress hosts, secrets, limits, budgets, review,"
                    + " prompt", List.of(OptionUsage.JSON), List.of(ArgumentUsage.required("NAME", "the skill's name")),
                    "crustyclaw skills show repo-qa"),
            VerbUsage.of("validate", "checks a skill directory (or its skill.toml) without installing it; prints each"
                    + " problem as file:line:column: key: what was expected; exit 1 when there are problems",
                    List.of(OptionUsage.JSON), List.of(ArgumentUsage.required("DIR", "the skill directory")),
                    "crustyclaw skills validate skills/repo-qa")));
}
