package org.crustyclaw.launcher;

import java.util.Map;
import java.util.Optional;

/** Help for the verbs the launcher knows; plugin verbs get theirs from the daemon's Gogo help. */
final class Help {

    private Help() {}

    private static final Map<String, String> VERBS = Map.of(
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
                    """,
            "stop", """
                    usage: crustyclaw stop
                    Asks the daemon to drain and exit (SIGTERM does the same) and waits up to
                    [daemon] shutdown_timeout_seconds. Exit 1 if it did not stop in time.

                    example:
                      crustyclaw stop
                    """,
            "status", """
                    usage: crustyclaw status [--json]
                    Running or not, pid, uptime, version, bundles by state, plugins by SPI type, channels,
                    and each service's health (the state database, audit log, approvals, secret store).
                    Exit 0 when the daemon runs and is healthy, 1 when it runs but a service is not
                    (one line on stderr says which), 3 when it does not run.

                    options:
                      --json   print JSON instead of the human form

                    example:
                      crustyclaw status --json
                    """,
            "version", """
                    usage: crustyclaw version [--json]
                    Version, git commit, build time and the Java running the CLI.

                    options:
                      --json   print JSON instead of the human form

                    example:
                      crustyclaw version
                    """,
            "shell", """
                    usage: crustyclaw shell
                    An interactive Gogo shell in the running daemon: 'help' lists every command,
                    'exit' or Ctrl-D leaves. Commands read from stdin when it is not a terminal.

                    example:
                      echo 'sandbox:list' | crustyclaw shell
                    """,
            "daemon", """
                    usage: crustyclaw VERB   (VERB: start, stop, status, version, shell)
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

                    Run 'crustyclaw VERB --help' for a verb's options and an example.
                    """);

    /** The built-in areas and their sub-commands; plugins may add areas, which the daemon checks. */
    private static final Map<String, java.util.Set<String>> AREAS = Map.of(
            "config", java.util.Set.of("show", "validate", "reload", "reference", "path"),
            "plugins", java.util.Set.of("list", "install", "uninstall", "stop", "start"),
            "policy", java.util.Set.of("list", "check", "test"),
            "audit", java.util.Set.of("tail", "verify", "export"),
            "review", java.util.Set.of("list", "show", "approve", "reject"),
            "secrets", java.util.Set.of("set", "list", "rm"),
            "sandbox", java.util.Set.of("list", "run", "pool"));

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

                Areas (crustyclaw help AREA lists an area's verbs):
                  config    show|validate|reload|reference|path   the configuration file
                  plugins   list|install|uninstall|stop|start     plugin bundles, grouped by SPI type
                  policy    list|check|test                       the access policy
                  audit     tail|verify|export                    the audit log
                  review    list|show|approve|reject              approval requests
                  secrets   set|list|rm                           named secrets, values never printed
                  sandbox   list|pool|run                         sandboxes and warm pools
                Plugins may add areas: with the daemon running, 'crustyclaw help AREA' shows theirs too.

                'crustyclaw AREA VERB --help' prints a verb's usage, options and an example; with no
                daemon running, help for an area comes from a short-lived framework (a few seconds).

                Exit codes: 0 success, 1 failure (also: daemon busy), 2 usage error, 3 daemon not running.
                Environment: CRUSTYCLAW_STATE (state directory), CRUSTYCLAW_CONFIG (configuration file).
                """;
    }
}
