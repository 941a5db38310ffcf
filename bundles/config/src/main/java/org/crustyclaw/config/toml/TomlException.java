package org.crustyclaw.config.toml;

import java.util.Objects;

/**
 * A TOML document could not be read. The message has the form {@code file:line:column: reason},
 * where the reason says what was found and what was expected.
 */
public final class TomlException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Position position;
    private final String reason;

    /**
     * @param position where the problem is
     * @param reason   what was found and what was expected, without the position
     */
    public TomlException(Position position, String reason) {
        super(Objects.requireNonNull(position, "position") + ": " + Objects.requireNonNull(reason, "reason"));
        this.position = position;
        this.reason = reason;
    }

    /** Where the problem is. */
    public Position position() {
        return position;
    }

    /** What went wrong, without the position. */
    public String reason() {
        return reason;
    }
}
