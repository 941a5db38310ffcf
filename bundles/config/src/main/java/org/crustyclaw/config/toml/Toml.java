package org.crustyclaw.config.toml;

import java.util.Objects;

/**
 * Strict TOML 1.0 parsing and deterministic writing.
 *
 * <p>The parser is meant for untrusted input: for any input it either returns a table or
 * throws {@link TomlException}, runs in time linear in the input, and enforces these limits:
 * {@value #MAX_INPUT_BYTES} bytes of input, nesting depth {@value #MAX_DEPTH} (each table key
 * and each array index on the way from the root to a value counts as one level),
 * {@value #MAX_STRING_BYTES} bytes (UTF-8) per string or key, and {@value #MAX_KEYS} keys in
 * total (counting every table entry, including implicitly created tables and each
 * {@code [[array]]} element).
 *
 * <p>A single leading byte order mark is skipped. Line and column numbers are 1-based, columns
 * counting Unicode code points.
 */
public final class Toml {

    /** Largest input accepted, in UTF-8 bytes (4 MiB). */
    public static final int MAX_INPUT_BYTES = 4 * 1024 * 1024;
    /** Deepest nesting accepted: keys plus array indices from the root to any value. */
    public static final int MAX_DEPTH = 64;
    /** Longest string or key accepted, in UTF-8 bytes once decoded (1 MiB). */
    public static final int MAX_STRING_BYTES = 1024 * 1024;
    /** Most keys accepted in one document, over all tables. */
    public static final int MAX_KEYS = 100_000;

    private Toml() {
    }

    /**
     * Parses a TOML document.
     *
     * @param source   the document text
     * @param fileName the name used in positions and messages, e.g. a path
     * @return the root table, positioned at 1:1
     * @throws TomlException if the text is not valid TOML 1.0 or exceeds a limit
     */
    public static TomlTable parse(String source, String fileName) throws TomlException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(fileName, "fileName");
        Utf8Decoder.checkText(source, fileName);
        return run(source, fileName);
    }

    /**
     * Parses a TOML document given as UTF-8 bytes. Invalid UTF-8 (including overlong forms and
     * encoded surrogates) is rejected with the line and column of the offending sequence.
     *
     * @param utf8     the document bytes
     * @param fileName the name used in positions and messages, e.g. a path
     * @return the root table, positioned at 1:1
     * @throws TomlException if the bytes are not valid UTF-8, not valid TOML 1.0, or exceed a limit
     */
    public static TomlTable parse(byte[] utf8, String fileName) throws TomlException {
        Objects.requireNonNull(utf8, "utf8");
        Objects.requireNonNull(fileName, "fileName");
        return run(Utf8Decoder.decode(utf8, fileName), fileName);
    }

    /**
     * Renders a table as TOML. The output is deterministic: in every table, plain values come
     * first in insertion order, then sub-tables as {@code [a.b]} sections and arrays of tables as
     * {@code [[a.b]]} sections, also in insertion order. Tables inside arrays that are not arrays
     * of tables are written inline. {@code parse(write(t))} is {@linkplain TomlValue#sameValue
     * the same value} as {@code t}. Positions are not written.
     *
     * @param table the table to render
     * @return TOML text ending with a newline, or the empty string for an empty table
     */
    public static String write(TomlTable table) {
        Objects.requireNonNull(table, "table");
        return new TomlWriter().write(table);
    }

    private static TomlTable run(String text, String fileName) throws TomlException {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        TomlParser parser = new TomlParser(body, fileName);
        try {
            return parser.parseDocument();
        } catch (RuntimeException | StackOverflowError e) {
            // Not expected to happen; keeps the contract that only TomlException escapes.
            throw new TomlException(parser.position(), "internal error while parsing: " + e);
        }
    }
}
