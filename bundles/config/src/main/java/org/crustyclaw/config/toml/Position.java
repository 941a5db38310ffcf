package org.crustyclaw.config.toml;

import java.util.Objects;

/**
 * A place in a TOML source: the file name as given to the parser, and a 1-based line and column.
 * Columns count Unicode code points, so a character outside the BMP counts once.
 *
 * @param file   the file name given to {@link Toml#parse(String, String)}, never null
 * @param line   1-based line number
 * @param column 1-based column, in code points
 */
public record Position(String file, int line, int column) {

    public Position {
        Objects.requireNonNull(file, "file");
        if (line < 1) {
            throw new IllegalArgumentException("line must be >= 1, was " + line);
        }
        if (column < 1) {
            throw new IllegalArgumentException("column must be >= 1, was " + column);
        }
    }

    /** Returns {@code line:column}, without the file name, for use inside messages. */
    public String lineColumn() {
        return line + ":" + column;
    }

    /** Returns {@code file:line:column}. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
