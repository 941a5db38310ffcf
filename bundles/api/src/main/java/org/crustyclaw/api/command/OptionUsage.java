package org.crustyclaw.api.command;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A named option such as {@code -n N} or {@code --json}.
 *
 * @param names        every spelling, short first, e.g. {@code -n}, {@code --lines}
 * @param value        what the value is: {@link Value#NONE} for a flag
 * @param placeholder  the value's placeholder in the usage, e.g. {@code N}, {@code FILE}; empty for a flag
 * @param description  what it does
 * @param defaultValue the value when it is not given, if it has one worth showing
 * @param required     the verb fails without it
 */
public record OptionUsage(List<String> names, Value value, String placeholder, String description,
        Optional<String> defaultValue, boolean required) {

    /** What an option's value is; the catalog refuses a value of the wrong kind before the command runs. */
    public enum Value {
        /** A flag: no value. */
        NONE,
        /** Any word. */
        TEXT,
        /** A whole number, e.g. {@code 20}. */
        INTEGER
    }

    /** The {@code --json} flag every verb with output has. */
    public static final OptionUsage JSON = flag("--json", "print JSON instead of the human form");

    public OptionUsage {
        names = List.copyOf(Objects.requireNonNull(names, "names"));
        if (names.isEmpty()) {
            throw new IllegalArgumentException("an option needs at least one name");
        }
        for (String n : names) {
            if (!n.matches("--?[a-z][a-z0-9-]*")) {
                throw new IllegalArgumentException("option name '" + n + "': expected -x or --word");
            }
        }
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(placeholder, "placeholder");
        if ((value == Value.NONE) != placeholder.isEmpty()) {
            throw new IllegalArgumentException("option " + names.get(0) + ": a flag has no placeholder, a value has one");
        }
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("option " + names.get(0) + " has no description");
        }
        Objects.requireNonNull(defaultValue, "defaultValue");
        if (required && value == Value.NONE) {
            throw new IllegalArgumentException("option " + names.get(0) + ": a flag cannot be required");
        }
    }

    public static OptionUsage flag(String name, String description) {
        return new OptionUsage(List.of(name), Value.NONE, "", description, Optional.empty(), false);
    }

    public static OptionUsage flag(String shortName, String longName, String description) {
        return new OptionUsage(List.of(shortName, longName), Value.NONE, "", description, Optional.empty(), false);
    }

    public static OptionUsage text(String name, String placeholder, String description) {
        return new OptionUsage(List.of(name), Value.TEXT, placeholder, description, Optional.empty(), false);
    }

    public static OptionUsage integer(List<String> names, String placeholder, String description) {
        return new OptionUsage(names, Value.INTEGER, placeholder, description, Optional.empty(), false);
    }

    public OptionUsage withDefault(String shown) {
        return new OptionUsage(names, value, placeholder, description, Optional.of(shown), required);
    }

    public OptionUsage asRequired() {
        return new OptionUsage(names, value, placeholder, description, defaultValue, true);
    }

    /** As shown in a usage line: {@code [-n N]}, {@code --role ROLE}, {@code [--json]}. */
    public String synopsis() {
        String shown = names.get(0) + (value == Value.NONE ? "" : " " + placeholder);
        return required ? shown : "[" + shown + "]";
    }
}
