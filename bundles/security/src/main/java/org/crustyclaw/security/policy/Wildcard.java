package org.crustyclaw.security.policy;

/**
 * A compiled name pattern: {@code *} (anything), an exact dotted name, or a dotted prefix
 * written {@code prefix.*}. Matching is a string comparison; nothing is compiled per call.
 */
public final class Wildcard {

    private static final int MAX_LENGTH = 256;

    enum Kind { ANY, EXACT, PREFIX }

    private final Kind kind;
    /** The exact name, or the prefix including its trailing dot. */
    private final String text;

    private Wildcard(Kind kind, String text) {
        this.kind = kind;
        this.text = text;
    }

    /**
     * Parses a pattern.
     *
     * @throws IllegalArgumentException naming the pattern and what is accepted
     */
    public static Wildcard parse(String pattern) {
        if (pattern.isEmpty()) {
            throw new IllegalArgumentException("pattern is empty: expected '*', a dotted name or 'prefix.*'");
        }
        if (pattern.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("pattern '" + pattern.substring(0, 40) + "...' is " + pattern.length()
                    + " characters long: expected at most " + MAX_LENGTH);
        }
        if (pattern.equals("*")) {
            return new Wildcard(Kind.ANY, "");
        }
        boolean prefix = pattern.endsWith(".*");
        String body = prefix ? pattern.substring(0, pattern.length() - 1) : pattern;
        String name = prefix ? body.substring(0, body.length() - 1) : body;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '*') {
                throw new IllegalArgumentException("bad wildcard '" + pattern
                        + "': '*' may only stand alone or as the last segment after a dot, like 'tool.*'");
            }
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("pattern '" + pattern + "' contains whitespace or a control character at "
                        + (i + 1) + ": expected a dotted name like 'tool.echo'");
            }
        }
        for (String segment : name.split("\\.", -1)) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("pattern '" + pattern
                        + "' has an empty segment: expected dot-separated names like 'tool.echo' or 'tool.*'");
            }
        }
        return new Wildcard(prefix ? Kind.PREFIX : Kind.EXACT, body);
    }

    public boolean matches(String name) {
        return switch (kind) {
            case ANY -> true;
            case EXACT -> text.equals(name);
            case PREFIX -> name.length() > text.length() && name.startsWith(text);
        };
    }

    Kind kind() {
        return kind;
    }

    /** The exact name for {@link Kind#EXACT}. */
    String exact() {
        return text;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ANY -> "*";
            case EXACT -> text;
            case PREFIX -> text + "*";
        };
    }
}
