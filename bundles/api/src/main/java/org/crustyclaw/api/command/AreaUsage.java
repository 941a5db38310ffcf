package org.crustyclaw.api.command;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A command area such as {@code audit}: its name (the Gogo scope), one line on what it is
 * for, and its verbs.
 */
public record AreaUsage(String name, String summary, List<VerbUsage> verbs) {

    public AreaUsage {
        if (name == null || !VerbUsage.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("area name '" + name + "' is not a command name: expected lower case"
                    + " letters, digits and '-', starting with a letter");
        }
        if (summary == null || summary.isBlank()) {
            throw new IllegalArgumentException("area '" + name + "' has no summary");
        }
        verbs = List.copyOf(Objects.requireNonNull(verbs, "verbs"));
        if (verbs.isEmpty()) {
            throw new IllegalArgumentException("area '" + name + "' has no verbs");
        }
        Set<String> seen = new HashSet<>();
        for (VerbUsage v : verbs) {
            if (!seen.add(v.name())) {
                throw new IllegalArgumentException("area '" + name + "' lists verb '" + v.name() + "' twice");
            }
        }
    }

    public Optional<VerbUsage> verb(String verbName) {
        return verbs.stream().filter(v -> v.name().equals(verbName)).findFirst();
    }
}
