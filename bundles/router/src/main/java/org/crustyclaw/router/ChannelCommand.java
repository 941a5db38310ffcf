package org.crustyclaw.router;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A command as a person types it into a chat: {@code approve ap-12 looks fine}. The text is
 * untrusted; parsing never fails, an unknown verb is a command too (answered with help).
 *
 * @param verb the first word, lower case, without a leading {@code /} or {@code !}
 * @param args the remaining words, the last one possibly the rest of the line (a reason)
 */
record ChannelCommand(String verb, List<String> args) {

    /** Words beyond this are kept in the last argument, so a long reason stays one argument. */
    static final int MAX_ARGS = 8;

    ChannelCommand {
        args = List.copyOf(args);
    }

    static ChannelCommand parse(String text) {
        String line = text.strip();
        int newline = line.indexOf('\n');
        String rest = newline < 0 ? "" : line.substring(newline + 1).strip();
        line = newline < 0 ? line : line.substring(0, newline).strip();
        String[] words = line.isEmpty() ? new String[0] : line.split("\\s+", MAX_ARGS + 1);
        if (words.length == 0) {
            return new ChannelCommand("", List.of());
        }
        String verb = words[0].toLowerCase(Locale.ROOT);
        if (verb.startsWith("/") || verb.startsWith("!")) {
            verb = verb.substring(1);
        }
        List<String> args = new java.util.ArrayList<>(List.of(words).subList(1, words.length));
        if (!rest.isEmpty()) {
            if (args.isEmpty()) {
                args.add(rest);
            } else {
                args.set(args.size() - 1, args.get(args.size() - 1) + "\n" + rest);
            }
        }
        return new ChannelCommand(verb, args);
    }

    Optional<String> arg(int i) {
        return i < args.size() ? Optional.of(args.get(i)) : Optional.empty();
    }

    /** The arguments from {@code i} on, joined by a space: a free-text reason. */
    String restFrom(int i) {
        return i < args.size() ? String.join(" ", args.subList(i, args.size())) : "";
    }
}
