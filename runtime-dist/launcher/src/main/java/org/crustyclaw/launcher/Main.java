package org.crustyclaw.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code bin/crustyclaw}: starts the daemon, and runs every other verb as a Gogo command in
 * it over the admin socket ({@code crustyclaw A B args} runs {@code A:B args}), or in a
 * short-lived framework when no daemon runs and the verb works offline.
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int NOT_RUNNING = 3;

    private Main() {}

    public static void main(String[] args) {
        int code;
        try {
            code = run(List.of(args), System.out, System.err);
        } catch (UsageException e) {
            System.err.println("usage error: " + e.getMessage());
            System.err.println("run 'crustyclaw --help' for the verbs, 'crustyclaw VERB --help' for one verb");
            code = USAGE;
        } catch (IOException | RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            code = FAILED;
        }
        System.out.flush();
        System.exit(code);
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) throws IOException {
        List<String> args = new ArrayList<>(argv);
        Optional<Path> config = takeOption(args, "--config").map(Path::of);
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            out.print(Help.overview());
            return args.isEmpty() ? USAGE : OK;
        }
        String verb = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (verb.equals("help")) {
            return help(rest, out, err, config);
        }
        if (rest.contains("--help") || rest.contains("-h")) {
            List<String> words = new ArrayList<>(List.of(verb));
            if (!rest.isEmpty() && !rest.get(0).startsWith("-")) {
                words.add(rest.get(0));
            }
            return help(words, out, err, config);
        }
        Layout layout = Layout.resolve(config, System.getenv());
        Commands commands = new Commands(layout, out, err);
        switch (verb) {
            case "start":
                onlyFlags(rest, "start", "--foreground");
                return commands.start(rest.contains("--foreground"));
            case "stop":
                onlyFlags(rest, "stop");
                return commands.stop();
            case "status":
                onlyFlags(rest, "status", "--json");
                return commands.status(rest.contains("--json"));
            case "version":
                onlyFlags(rest, "version", "--json");
                return commands.version(rest.contains("--json"));
            case "doctor":
                onlyFlags(rest, "doctor", "--json", "--fix");
                return Doctor.run(layout, System.getenv(), out, rest.contains("--json"), rest.contains("--fix"));
            case "shell":
                onlyFlags(rest, "shell");
                return commands.shell();
            case "--version":
                return commands.version(false);
            case "run":
                if (rest.isEmpty() || rest.get(0).startsWith("-")) {
                    throw new UsageException("'run' needs a skill name first: crustyclaw run SKILL --input TEXT|@FILE"
                            + " [--follow]; 'crustyclaw skills list' shows the skills");
                }
                List<String> run = new ArrayList<>();
                run.add("agent:run");
                run.addAll(rest);
                return commands.forward(run, config.isPresent());
            default:
                if (verb.startsWith("-")) {
                    throw new UsageException("unknown option " + verb + " before the verb");
                }
                if (rest.isEmpty() || rest.get(0).startsWith("-")) {
                    Help.checkArea(verb);
                    if (!Help.builtIn(verb)) {
                        return commands.areaWithoutVerb(verb);
                    }
                    throw new UsageException("'" + verb + "' needs a verb" + Help.verbsOf(verb).map(v -> ": " + v).orElse("")
                            + "; see 'crustyclaw help " + verb + "'");
                }
                Help.checkKnown(verb, rest.get(0));
                List<String> command = new ArrayList<>();
                command.add(verb + ":" + rest.get(0));
                command.addAll(rest.subList(1, rest.size()));
                return commands.forward(command, config.isPresent());
        }
    }

    /**
     * {@code help [AREA [VERB]] [--json]}: the launcher's own verbs here, every area from the
     * daemon's command catalog (or, with no daemon, from a short-lived framework's).
     */
    private static int help(List<String> words, PrintStream out, PrintStream err, Optional<Path> config) throws IOException {
        List<String> rest = new ArrayList<>(words);
        boolean json = rest.remove("--json");
        if (rest.isEmpty()) {
            out.print(Help.overview());
            // A running daemon knows every area, plugins' too; with none, the overview is all there is.
            new Commands(Layout.resolve(config, System.getenv()), out, err).daemonAreas().ifPresent(areas -> {
                out.println();
                out.println("Areas of the running daemon:");
                out.print(areas);
            });
            return OK;
        }
        if (rest.size() > 2) {
            throw new UsageException("help takes an area and a verb, not '" + String.join(" ", rest)
                    + "'; e.g. 'crustyclaw help audit tail'");
        }
        Optional<String> local = Help.verb(rest.get(0));
        if (local.isPresent()) {
            out.print(local.get());
            return OK;
        }
        if (Help.builtIn(rest.get(0))) {
            if (rest.size() == 2) {
                Help.checkKnown(rest.get(0), rest.get(1));
            }
        } else if (!rest.get(0).matches("[a-z][a-z0-9_-]*")) {
            throw new UsageException(Help.unknownArea(rest.get(0)));
        }
        List<String> command = new ArrayList<>(List.of("crustyclaw:help"));
        command.addAll(rest);
        if (json) {
            command.add("--json");
        }
        Commands commands = new Commands(Layout.resolve(config, System.getenv()), out, err);
        return commands.forward(command, false);
    }

    /** Removes {@code name VALUE} from the arguments and returns the value. */
    static Optional<String> takeOption(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i < 0) {
            return Optional.empty();
        }
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
            throw new UsageException(name + " needs a value");
        }
        String value = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return Optional.of(value);
    }

    private static void onlyFlags(List<String> args, String verb, String... allowed) {
        for (String a : args) {
            if (!List.of(allowed).contains(a)) {
                throw new UsageException("'" + verb + "' does not take '" + a + "'"
                        + (allowed.length == 0 ? "" : "; it takes " + String.join(", ", allowed)));
            }
        }
    }

    /** Wrong words on the command line: exit code 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
