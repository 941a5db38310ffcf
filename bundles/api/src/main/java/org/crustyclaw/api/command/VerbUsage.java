package org.crustyclaw.api.command;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One verb of an area ({@code audit tail}): what it does, what it takes, and at least one
 * example a user can paste.
 *
 * @param examples whole command lines, e.g. {@code crustyclaw audit tail -n 50 -f}
 */
public record VerbUsage(String name, String summary, List<OptionUsage> options, List<ArgumentUsage> arguments,
        List<String> examples) {

    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    public VerbUsage {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("verb name '" + name + "' is not a command name: expected lower case"
                    + " letters, digits and '-', starting with a letter");
        }
        if (summary == null || summary.isBlank()) {
            throw new IllegalArgumentException("verb '" + name + "' has no summary");
        }
        options = List.copyOf(Objects.requireNonNull(options, "options"));
        arguments = List.copyOf(Objects.requireNonNull(arguments, "arguments"));
        examples = List.copyOf(Objects.requireNonNull(examples, "examples"));
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("verb '" + name + "' has no example");
        }
        Set<String> seen = new HashSet<>();
        for (OptionUsage o : options) {
            for (String n : o.names()) {
                if (!seen.add(n)) {
                    throw new IllegalArgumentException("verb '" + name + "' has option " + n + " twice");
                }
            }
        }
        boolean optionalSeen = false;
        for (int i = 0; i < arguments.size(); i++) {
            ArgumentUsage a = arguments.get(i);
            if (a.repeated() && i != arguments.size() - 1) {
                throw new IllegalArgumentException("verb '" + name + "': only the last argument may repeat, not " + a.name());
            }
            if (a.required() && optionalSeen) {
                throw new IllegalArgumentException("verb '" + name + "': required " + a.name() + " after an optional argument");
            }
            optionalSeen |= !a.required();
        }
    }

    public static VerbUsage of(String name, String summary, List<OptionUsage> options, List<ArgumentUsage> arguments,
            String... examples) {
        return new VerbUsage(name, summary, options, arguments, List.of(examples));
    }

    public Optional<OptionUsage> option(String spelled) {
        return options.stream().filter(o -> o.names().contains(spelled)).findFirst();
    }

    /** The options and arguments as in a usage line, e.g. {@code [-n N] [-f] [--json]}. */
    public String synopsis() {
        StringBuilder s = new StringBuilder();
        options.stream().filter(OptionUsage::required).forEach(o -> s.append(' ').append(o.synopsis()));
        options.stream().filter(o -> !o.required()).forEach(o -> s.append(' ').append(o.synopsis()));
        arguments.forEach(a -> s.append(' ').append(a.synopsis()));
        return s.toString().strip();
    }
}
