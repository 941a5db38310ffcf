package org.crustyclaw.commands.catalog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.crustyclaw.api.command.ArgumentUsage;
import org.crustyclaw.api.command.OptionUsage;
import org.crustyclaw.api.command.VerbUsage;

/**
 * Checks a verb's words against its usage the way Gogo will bind them: a word that spells a
 * known option is that option wherever it stands (Gogo's {@code @Parameter} binding takes
 * them anywhere), the rest are positional. An unknown {@code -word} is refused until the
 * verb's repeated argument (a command line such as {@code sh -c ...}) or {@code --} begins.
 */
final class ArgumentCheck {

    /** Values longer than this are cut in messages, so a problem text stays one readable line. */
    static final int SHOWN_CHARS = 80;

    private ArgumentCheck() {}

    static Optional<String> problem(VerbUsage usage, List<String> words) {
        List<String> positional = new ArrayList<>();
        Set<OptionUsage> given = new HashSet<>();
        Optional<ArgumentUsage> rest = usage.arguments().stream().filter(ArgumentUsage::repeated).findFirst();
        int restAt = usage.arguments().size() - 1;
        boolean inRest = false;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            Optional<OptionUsage> option = usage.option(word);
            if (option.isPresent()) {
                OptionUsage o = option.get();
                given.add(o);
                if (o.value() == OptionUsage.Value.NONE) {
                    continue;
                }
                if (i + 1 >= words.size()) {
                    return Optional.of(word + " needs a value: expected " + o.placeholder() + " (" + o.description() + ")");
                }
                String value = words.get(++i);
                if (o.value() == OptionUsage.Value.INTEGER && !isInteger(value)) {
                    return Optional.of(word + " " + shown(value) + " is not a whole number: expected " + o.placeholder()
                            + " (" + o.description() + ")");
                }
                continue;
            }
            if (!inRest && rest.isPresent() && word.equals("--")) {
                inRest = true;
                continue;
            }
            if (!inRest && word.startsWith("-") && word.length() > 1 && !isInteger(word)) {
                return Optional.of("unknown option " + shown(word) + (usage.options().isEmpty() ? ": it takes no options"
                        : ": it takes " + String.join(", ", usage.options().stream().map(o -> String.join("|", o.names())).toList())));
            }
            positional.add(word);
            inRest |= rest.isPresent() && positional.size() > restAt;
        }
        for (OptionUsage o : usage.options()) {
            if (o.required() && !given.contains(o)) {
                return Optional.of("missing " + o.names().get(0) + " " + o.placeholder() + " (" + o.description() + ")");
            }
        }
        int count = positional.size();
        List<ArgumentUsage> args = usage.arguments();
        for (int a = 0; a < args.size(); a++) {
            if (args.get(a).required() && count <= a) {
                return Optional.of("missing " + args.get(a).name() + " (" + args.get(a).description() + ")");
            }
        }
        if (rest.isEmpty() && count > args.size()) {
            String extra = positional.get(args.size());
            return Optional.of("unexpected argument " + shown(extra) + (args.isEmpty() ? ": it takes none"
                    : ": it takes " + String.join(" ", args.stream().map(ArgumentUsage::synopsis).toList())));
        }
        return Optional.empty();
    }

    private static boolean isInteger(String s) {
        return s.matches("-?[0-9]{1,18}");
    }

    /** A value quoted for a message, cut in the middle when it is long, with its length. */
    static String shown(String value) {
        if (value.length() <= SHOWN_CHARS) {
            return "'" + value + "'";
        }
        return "'" + value.substring(0, SHOWN_CHARS / 2) + "..." + value.substring(value.length() - 8) + "' ("
                + value.length() + " characters)";
    }
}
