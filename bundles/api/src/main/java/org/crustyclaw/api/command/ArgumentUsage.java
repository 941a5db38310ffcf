package org.crustyclaw.api.command;

/**
 * A positional argument: {@code FILE}, {@code [ID]}, {@code CMD...}.
 *
 * @param name        the placeholder shown in the usage, upper case, e.g. {@code FILE}
 * @param description what it is, e.g. "the bundle jar"
 * @param required    whether the verb fails without it
 * @param repeated    it takes every remaining word (only the last argument may)
 */
public record ArgumentUsage(String name, String description, boolean required, boolean repeated) {

    public ArgumentUsage {
        if (name == null || !name.matches("[A-Z][A-Z0-9_-]*")) {
            throw new IllegalArgumentException("argument name '" + name + "': expected an upper-case placeholder such as FILE");
        }
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("argument " + name + " has no description");
        }
    }

    public static ArgumentUsage required(String name, String description) {
        return new ArgumentUsage(name, description, true, false);
    }

    public static ArgumentUsage optional(String name, String description) {
        return new ArgumentUsage(name, description, false, false);
    }

    /** One or more words to the end of the line, e.g. a command and its arguments. */
    public static ArgumentUsage rest(String name, String description) {
        return new ArgumentUsage(name, description, true, true);
    }

    /** As shown in a usage line: {@code FILE}, {@code [FILE]}, {@code CMD...}. */
    public String synopsis() {
        String shown = repeated ? name + "..." : name;
        return required ? shown : "[" + shown + "]";
    }
}
