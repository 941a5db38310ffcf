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
                    not the task. When the skill's model provider is not reachable, says which providers
                    were tried and how to configure one, and exits 1.

                    options:
                      --input TEXT|@FILE   what the skill should do, or a file holding it (required)
                      --workspace DIR      work in an existing directory (a checkout), not a fresh one
                      --follow             stream the task's events until it ends
                      --json               one JSON object per event, then the task

                    example:
                      crustyclaw run repo-qa --workspace . --input "where is the policy compiled?" --follow
                    See also: crustyclaw tasks list|show|logs [-f]|cancel|resume, crustyclaw skills list|show|validate.
                    """), Map.entry(
            "start", """
                    usage: crustyclaw start [--foreground] [--config FILE]
                    Starts the daemon: Felix with the bundles of bundle/, the admin socket in the state
                    directory, and the watcher on deploy/. Returns once the daemon answers; --foreground
                    keeps it in this terminal (logs to stderr too). Refuses to start a second daemon on
                    the same state directory. The configuration is checked first; a broken file stops here.

                    options:
                      --foreground    stay in this terminal, logging to stderr too
                      --config FILE   the configuration file (default etc/crustyclaw.toml, or $CRUSTYCLAW_CONFIG)

                    example:
                      CRUSTYCLAW_STATE=~/.crustyclaw crustyclaw start
                    """), Map.entry("stop", """
                    usage: crustyclaw stop
                    Asks the daemon to drain and exit (SIGTERM does the same) and waits up to
                    [daemon] shutdown_timeout_seconds. Exit 1 if it did not stop in time.

                    example:
                      crustyclaw stop
                    """), Map.entry("status", """
                    usage: crustyclaw status [--json]
                    Running or not, pid, uptime, version, bundles by state, plugins by SPI type, channels,
                    and each service's health (the state database, audit log, approvals, secret store).
                    Exit 0 when the daemon runs and is healthy, 1 when it runs but a service is not
                    (one line on stderr says which), 3 when it does not run.

                    options:
                      --json   print JSON instead of the human form

                    example:
                      crustyclaw status --json
                    """), Map.entry("version", """
                    usage: crustyclaw version [--json]
                    Version, git commit, build time and the Java running the CLI.

                    options:
                      --json   print JSON instead of the human form

                    example:
                      crustyclaw version
                    """), Map.entry("doctor", """
                    usage: crustyclaw doctor [--fix] [--json]
                    What each sandbox backend needs on this host (package, dockerd, the runsc runtime,
                    the base image, QEMU and the microVM guest, KVM) and the exact command that supplies
                    it, checked without a daemon. --fix, as root, installs what bwrap (L2, one package)
                    lacks and checks again. Exit 0 when a backend at L2 or above is ready, 1 otherwise.

                    options:
                      --fix    as root: do bwrap's host setup (apt-get install bubblewrap) first
                      --json   print JSON instead of the human form

                    example:
                      sudo crustyclaw doctor --fix
                    """), Map.entry("shell", """
                    usage: crustyclaw shell
                    An interactive Gogo shell in the running daemon: 'help' lists every command,
                    'exit' or Ctrl-D leaves. Commands read from stdin when it is not a terminal.

                    example:
                      echo 'sandbox:list' | crustyclaw shell
                    """), Map.entry("daemon", """
                    usage: crustyclaw VERB   (VERB: start, stop, status, version, shell, doctor)
                    daemon: the verbs the launcher runs itself

                    verbs:
                      crustyclaw start [--foreground]
                          start the daemon (returns when it answers)
                      crustyclaw stop
                          drain and stop the daemon
                      crustyclaw status [--json]
                          running or not, health, bundles, plugins (exit 1: unhealthy, 3: not running)
                      crustyclaw version [--json]
                          version, commit, build time, Java
                      crustyclaw shell
                          interactive Gogo shell in the daemon
                      crustyclaw doctor [--fix] [--json]
                          what each sandbox backend needs here, and the command for it

                    Run 'crustyclaw VERB --help' for a verb's options and an example.
                    """));

    /** The built-in areas and their sub-commands; plugins may add areas, which the daemon checks. */
    private static final Map<String, java.util.Set<String>> AREAS = Map.ofEntries(
            Map.entry("config", java.util.Set.of("show", "validate", "reload", "reference", "path")),
            Map.entry("plugins", java.util.Set.of("list", "install", "uninstall", "stop", "start")),
            Map.entry("policy", java.util.Set.of("list", "check", "test")),
            Map.entry("audit", java.util.Set.of("tail", "verify", "export")),
            Map.entry("review", java.util.Set.of("list", "show", "approve", "reject")),
            Map.entry("secrets", java.util.Set.of("set", "list", "rm")),
            Map.entry("egress", java.util.Set.of("list", "test")),
            Map.entry("sandbox", java.util.Set.of("list", "run", "pool")),
            Map.entry("tasks", java.util.Set.of("list", "show", "logs", "cancel", "resume")),
            Map.entry("skills", java.util.Set.of("list", "show", "validate")),
            Map.entry("agent", java.util.Set.of("run")));

    /**
     * Refuses verbs that are certainly wrong before any daemon is asked, so they are usage
     * errors whether or not one runs; areas of plugins pass and the daemon decides.
     */
    static void checkKnown(String area, String function) {
        checkArea(area);
        java.util.Set<String> functions = AREAS.get(area);
        if (functions != null && !functions.contains(function)) {
            throw new Main.UsageException("unknown command '" + area + " " + function + "'; '" + area + "' has: "
                    + String.join(", ", new java.util.TreeSet<>(functions)));
        }
    }

    /** Refuses what cannot be an area at all; a well-formed unknown one may be a plugin's, which the daemon decides. */
    static void checkArea(String area) {
        if (!AREAS.containsKey(area) && !area.matches("[a-z][a-z0-9_-]*")) {
            throw new Main.UsageException(unknownArea(area));
        }
    }

    /** "unknown verb", with the verbs and areas a user can try. */
    static String unknownArea(String area) {
        return "unknown verb '" + area + "'; the verbs are " + String.join(", ", new java.util.TreeSet<>(VERBS.keySet()).stream().filter(v -> !v.equals("daemon")).toList())
                + ", and the areas " + String.join(", ", new java.util.TreeSet<>(AREAS.keySet()))
                + " (plugins may add areas; 'crustyclaw help' lists them)";
    }

    /** The verbs of a built-in area, comma-separated. */
    static Optional<String> verbsOf(String area) {
        return Optional.ofNullable(AREAS.get(area)).map(v -> String.join(", ", new java.util.TreeSet<>(v)));
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
                       crustyclaw [--config FILE] AREA VERB [OPTIONS] [ARGS...]

                CrustyClaw, a security-first runtime for AI agents.

                Daemon (crustyclaw help daemon):
                  start [--foreground]      start the daemon (returns when it answers)
                  stop                      drain and stop the daemon
                  status [--json]           running or not, health, bundles, plugins (exit 1: unhealthy, 3: not running)
                  version [--json]          version, commit, build time, Java
                  shell                     interactive Gogo shell in the daemon
                  doctor [--fix] [--json]   what each sandbox backend needs here, and the command for it

                Areas (crustyclaw help AREA lists an area's verbs):
                  config    show|validate|reload|reference|path   the configuration file
                  plugins   list|install|uninstall|stop|start     plugin bundles, grouped by SPI type
                  policy    list|check|test                       the access policy
                  audit     tail|verify|export                    the audit log
                  review    list|show|approve|reject              approval requests
                  secrets   set|list|rm                           named secrets, values never printed
                  sandbox   list|pool|run                         sandboxes and warm pools
                  tasks     list|show|logs|cancel|resume          agent tasks and their events
                  skills    list|show|validate                    directory and bundle skills
                Agent: run SKILL --input TEXT|@FILE [--follow]    run a skill as a durable task
                Plugins may add areas: with the daemon running, 'crustyclaw help AREA' shows theirs too.

                'crustyclaw AREA VERB --help' prints a verb's usage, options and an example; with no
                daemon running, help for an area comes from a short-lived framework (a few seconds).

                Exit codes: 0 success, 1 failure (also: daemon busy), 2 usage error, 3 daemon not running.
                Environment: CRUSTYCLAW_STATE (state directory), CRUSTYCLAW_CONFIG (configuration file).
                """;
    }
}
