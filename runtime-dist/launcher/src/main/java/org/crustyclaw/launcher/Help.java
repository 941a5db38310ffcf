package org.crustyclaw.launcher;

import java.util.Map;
import java.util.Optional;

/** Help for the verbs the launcher knows; plugin verbs get theirs from the daemon's Gogo help. */
final class Help {

    private Help() {}

    private static final Map<String, String> VERBS = Map.ofEntries(Map.entry("run", """
                    usage: crustyclaw run SKILL --input TEXT|@FILE [--workspace DIR] [--follow] [--json]
                    Runs a skill as a durable task in the daemon. Without --follow prints the task id;
                    with --follow streams the model's text as it arrives, each tool call and its result,
                    refusals and approvals (answer them with 'crustyclaw review approve ID'), and ends
                    with the outcome: exit 0 when the task succeeded, 1 otherwise. Ctrl-C stops following,
                    not the task. --workspace works in an existing directory (a checkout) instead of a
                    fresh one. When the skill's model provider is not reachable, says which providers
                    were tried and how to configure one, and exits 1.
                    See also: crustyclaw tasks list|show|logs [-f]|cancel|resume, crustyclaw skills
                    list|show|validate.
                    """), Map.entry(
            "start", """
                    usage: crustyclaw start [--foreground] [--config FILE]
                    Starts the daemon: Felix with the bundles of bundle/, the admin socket in the state
                    directory, and the watcher on deploy/. Returns once the daemon answers; --foreground
                    keeps it in this terminal (logs to stderr too). Refuses to start a second daemon on
                    the same state directory. The configuration is checked first; a broken file stops here.
                    """), Map.entry("stop", """
                    usage: crustyclaw stop
                    Asks the daemon to drain and exit (SIGTERM does the same) and waits up to
                    [daemon] shutdown_timeout_seconds. Exit 1 if it did not stop in time.
                    """), Map.entry("status", """
                    usage: crustyclaw status [--json]
                    Running or not, pid, uptime, version, bundles by state, plugins by SPI type, channels.
                    Exit 0 when the daemon runs, 3 when it does not.
                    """), Map.entry("version", """
                    usage: crustyclaw version [--json]
                    Version, git commit, build time and the Java running the CLI.
                    """), Map.entry("config", """
                    usage: crustyclaw config show [--json]
                           crustyclaw config validate [FILE]
                           crustyclaw config reload
                           crustyclaw config reference
                           crustyclaw config path
                    show: the effective configuration, file values over defaults, secrets redacted.
                    validate: checks FILE (default: the configuration in use) against every installed
                    bundle's schema; prints each problem as file:line:column: key: what was expected.
                    Exit 1 when there are problems. Works without a running daemon.
                    reload: re-reads the file and applies what changed (same as SIGHUP); a broken file is
                    rejected whole and the running configuration stays.
                    reference: every section and key the installed bundles accept, as Markdown.
                    path: the configuration file in use.
                    Global option --config FILE picks another configuration file.
                    """), Map.entry("plugins", """
                    usage: crustyclaw plugins list [--json] [--all]
                           crustyclaw plugins install FILE
                           crustyclaw plugins uninstall NAME
                           crustyclaw plugins stop|start NAME
                    list: plugin bundles with their components grouped by SPI type (sandbox backends,
                    tool adapters, blueprints, review gates, channels, model providers, hooks), state and
                    service ranking; --all lists every bundle. Failed deploys are listed after them.
                    install: copies a bundle jar into deploy/ and waits until it is active.
                    uninstall: removes the plugin with that symbolic name from deploy/.
                    stop, start: takes any bundle (also one of bundle/, e.g. org.crustyclaw.sandbox.docker)
                    out of service and back, without removing it.
                    """), Map.entry("shell", """
                    usage: crustyclaw shell
                    An interactive Gogo shell in the running daemon: 'help' lists every command,
                    'exit' or Ctrl-D leaves. Commands read from stdin when it is not a terminal.
                    """));

    /** The built-in areas and their sub-commands; plugins may add areas, which the daemon checks. */
    private static final Map<String, java.util.Set<String>> AREAS = Map.of(
            "config", java.util.Set.of("show", "validate", "reload", "reference", "path"),
            "plugins", java.util.Set.of("list", "install", "uninstall", "stop", "start"),
            "policy", java.util.Set.of("list", "check", "test"),
            "audit", java.util.Set.of("tail", "verify", "export"),
            "review", java.util.Set.of("list", "show", "approve", "reject"),
            "secrets", java.util.Set.of("set", "list", "rm"),
            "sandbox", java.util.Set.of("list", "run", "pool"),
            "tasks", java.util.Set.of("list", "show", "logs", "cancel", "resume"),
            "skills", java.util.Set.of("list", "show", "validate"),
            "agent", java.util.Set.of("run"));

    /**
     * Refuses verbs that are certainly wrong before any daemon is asked, so they are usage
     * errors whether or not one runs; areas of plugins pass and the daemon decides.
     */
    static void checkKnown(String area, String function) {
        java.util.Set<String> functions = AREAS.get(area);
        if (functions != null && !functions.contains(function)) {
            throw new Main.UsageException("unknown command '" + area + " " + function + "'; '" + area + "' has: "
                    + String.join(", ", new java.util.TreeSet<>(functions)));
        }
        if (functions == null && !area.matches("[a-z][a-z0-9_-]*")) {
            throw new Main.UsageException("unknown verb '" + area + "'; see 'crustyclaw --help'");
        }
    }

    static boolean builtIn(String area) {
        return AREAS.containsKey(area) || area.equals("crustyclaw");
    }

    static Optional<String> verb(String verb) {
        return Optional.ofNullable(VERBS.get(verb));
    }

    static String overview() {
        return """
                usage: crustyclaw [--config FILE] VERB [ARGS...]

                CrustyClaw, a security-first runtime for AI agents.

                Daemon:
                  start [--foreground]      start the daemon (returns when it answers)
                  stop                      drain and stop the daemon
                  status [--json]           running or not, bundles, plugins, channels (exit 3: not running)
                  version [--json]          version, commit, build time, Java
                  shell                     interactive Gogo shell in the daemon

                Configuration and plugins:
                  config show|validate|reload|reference|path   the configuration file
                  plugins list|install|uninstall|stop|start   plugin bundles, grouped by SPI type

                Agent:
                  run SKILL --input TEXT|@FILE [--follow]   run a skill as a durable task
                  tasks list|show|logs [-f]|cancel|resume    the tasks and their events
                  skills list|show|validate                  directory and bundle skills

                Any other 'crustyclaw AREA VERB ARGS' runs the Gogo command AREA:VERB in the daemon, e.g.
                  sandbox list, sandbox run, policy check, review approve, audit tail, secrets set.
                'crustyclaw help AREA' lists an area's commands from the daemon.

                Exit codes: 0 success, 1 failure, 2 usage error, 3 daemon not running.
                Environment: CRUSTYCLAW_STATE (state directory), CRUSTYCLAW_CONFIG (configuration file).
                """;
    }
}
