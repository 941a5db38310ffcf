package org.crustyclaw.commands.catalog;

import java.util.List;
import java.util.Optional;

import org.crustyclaw.api.command.AreaUsage;
import org.crustyclaw.api.command.ArgumentUsage;
import org.crustyclaw.api.command.OptionUsage;
import org.crustyclaw.api.command.VerbUsage;

/** How usage reads on a terminal: the one place help and usage errors are formatted. */
public final class UsageText {

    private UsageText() {}

    /** {@code usage: crustyclaw audit tail [-n N] [-f] [--json]}. */
    public static String line(String area, VerbUsage verb) {
        String synopsis = verb.synopsis();
        return "usage: crustyclaw " + area + " " + verb.name() + (synopsis.isEmpty() ? "" : " " + synopsis);
    }

    /** A usage error: what is wrong, the usage line, and where the full help is. */
    public static String error(String area, VerbUsage verb, String problem) {
        return "usage error: " + area + " " + verb.name() + ": " + problem + "\n" + line(area, verb) + "\n"
                + "(run 'crustyclaw " + area + " " + verb.name() + " --help' for its options and an example)";
    }

    /** {@code crustyclaw help AREA}: every verb with its usage line and summary. */
    public static String area(AreaUsage area) {
        StringBuilder out = new StringBuilder("usage: crustyclaw ").append(area.name()).append(" VERB [OPTIONS]\n")
                .append(area.name()).append(": ").append(area.summary()).append("\n\nverbs:\n");
        for (VerbUsage v : area.verbs()) {
            out.append("  ").append(line(area.name(), v).substring("usage: ".length())).append('\n');
            out.append("      ").append(v.summary()).append('\n');
        }
        out.append("\nRun 'crustyclaw ").append(area.name()).append(" VERB --help' for a verb's options and an example.\n");
        return out.toString();
    }

    /** {@code crustyclaw AREA VERB --help}: usage line, summary, arguments, options, examples. */
    public static String verb(String area, VerbUsage verb) {
        StringBuilder out = new StringBuilder(line(area, verb)).append('\n').append(verb.summary()).append('\n');
        if (!verb.arguments().isEmpty()) {
            out.append("\narguments:\n");
            List<String[]> rows = verb.arguments().stream().map(a -> new String[] {a.synopsis(), describe(a)}).toList();
            columns(out, rows);
        }
        if (!verb.options().isEmpty()) {
            out.append("\noptions:\n");
            List<String[]> rows = verb.options().stream().map(o -> new String[] {
                    String.join(", ", o.names()) + (o.value() == OptionUsage.Value.NONE ? "" : " " + o.placeholder()),
                    describe(o)}).toList();
            columns(out, rows);
        }
        out.append(verb.examples().size() == 1 ? "\nexample:\n" : "\nexamples:\n");
        verb.examples().forEach(e -> out.append("  ").append(e).append('\n'));
        return out.toString();
    }

    /** The areas, one line each, for {@code crustyclaw help} and unknown verbs. */
    public static String areas(List<AreaUsage> areas) {
        StringBuilder out = new StringBuilder();
        columns(out, areas.stream().map(a -> new String[] {a.name(), a.summary()}).toList());
        return out.toString();
    }

    private static String describe(ArgumentUsage a) {
        return a.description() + (a.required() ? "" : " (optional)");
    }

    private static String describe(OptionUsage o) {
        Optional<String> d = o.defaultValue();
        return o.description() + (o.required() ? " (required)" : "") + d.map(x -> " (default " + x + ")").orElse("");
    }

    private static void columns(StringBuilder out, List<String[]> rows) {
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        for (String[] r : rows) {
            out.append("  ").append(r[0]).append(" ".repeat(width - r[0].length() + 3)).append(r[1]).append('\n');
        }
    }
}
