package org.crustyclaw.config.toml;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the structure of a TOML document: lines of key/value pairs, table headers, arrays and
 * inline tables. Scalars are read by {@link ScalarLexer} and {@link StringLexer}; the rules on
 * defining tables live in {@link TableBuilder}.
 */
final class TomlParser {

    private final TomlLexer lx;
    private final ScalarLexer scalars;
    private final TableBuilder builder;

    TomlParser(String source, String file) {
        this.lx = new TomlLexer(source, file);
        this.scalars = new ScalarLexer(lx);
        this.builder = new TableBuilder(lx);
    }

    /** Where the parser is, for reporting unexpected failures. */
    Position position() {
        return lx.position();
    }

    TomlTable parseDocument() throws TomlException {
        TableBuilder.Table root = builder.newRoot(lx.position(), 0);
        TableBuilder.Table current = root;
        while (true) {
            lx.skipWhitespace();
            int c = lx.peek();
            if (c == TomlLexer.EOF) {
                return TableBuilder.freeze(root);
            } else if (c == '#') {
                lx.skipComment();
            } else if (c == '\n' || c == '\r') {
                lx.consumeNewline();
            } else if (c == '[') {
                current = header(root);
            } else {
                keyValue(current);
                lx.expectLineEnd("value");
            }
        }
    }

    private TableBuilder.Table header(TableBuilder.Table root) throws TomlException {
        Position at = lx.position();
        lx.advance();
        boolean array = lx.peek() == '[';
        if (array) {
            lx.advance();
        }
        lx.skipWhitespace();
        List<TomlKey> path = lx.readKey();
        lx.skipWhitespace();
        String name = TomlKeys.display(path, path.size());
        if (array) {
            if (lx.peek() != ']' || lx.peekAt(1) != ']') {
                if (lx.peek() == ']') {
                    lx.advance();
                }
                throw lx.error("expected ']]' to close array of tables header [[" + name + "]], found "
                        + lx.found());
            }
            lx.advance(2);
        } else {
            if (lx.peek() != ']') {
                throw lx.error("expected ']' to close table header [" + name + "], found " + lx.found());
            }
            lx.advance();
        }
        TableBuilder.Table table = array
                ? builder.defineArrayTable(root, path, at)
                : builder.defineTable(root, path, at);
        lx.expectLineEnd(array ? "array of tables header [[" + name + "]]" : "table header [" + name + "]");
        return table;
    }

    private void keyValue(TableBuilder.Table table) throws TomlException {
        List<TomlKey> key = lx.readKey();
        lx.skipWhitespace();
        if (lx.peek() != '=') {
            throw lx.error("expected '=' after key '" + TomlKeys.display(key, key.size()) + "', found "
                    + lx.found());
        }
        lx.advance();
        lx.skipWhitespace();
        int depth = table.depth + key.size();
        if (depth > Toml.MAX_DEPTH) {
            Position at = key.get(Math.max(0, Toml.MAX_DEPTH - table.depth)).position();
            throw lx.error(at, "nesting depth exceeds the limit of " + Toml.MAX_DEPTH);
        }
        TomlValue value = value(key.get(key.size() - 1).position(), depth);
        builder.putValue(table, key, value);
    }

    /**
     * Reads a value.
     *
     * @param at    the position to give the value
     * @param depth how many keys and array indices lead to the value from the root
     */
    private TomlValue value(Position at, int depth) throws TomlException {
        if (depth > Toml.MAX_DEPTH) {
            throw lx.error("nesting depth exceeds the limit of " + Toml.MAX_DEPTH);
        }
        int c = lx.peek();
        switch (c) {
            case '"', '\'' -> {
                return new TomlString(lx.strings().any(), at);
            }
            case '[' -> {
                return array(at, depth);
            }
            case '{' -> {
                return inlineTable(at, depth);
            }
            default -> {
                return scalars.read(at);
            }
        }
    }

    private TomlArray array(Position at, int depth) throws TomlException {
        Position open = lx.position();
        lx.advance();
        List<TomlValue> values = new ArrayList<>();
        lx.skipBlank();
        while (lx.peek() != ']') {
            values.add(value(lx.position(), depth + 1));
            lx.skipBlank();
            if (lx.peek() == ',') {
                lx.advance();
                lx.skipBlank();
            } else if (lx.peek() != ']') {
                String what = lx.atEnd() ? "unterminated array started at " + open.lineColumn() + ": " : "";
                throw lx.error(what + "expected ',' or ']' after array element, found " + lx.found());
            }
        }
        lx.advance();
        return new TomlArray(values, at);
    }

    private TomlTable inlineTable(Position at, int depth) throws TomlException {
        Position open = lx.position();
        lx.advance();
        TableBuilder.Table table = builder.newRoot(at, depth);
        lx.skipWhitespace();
        if (lx.peek() == '}') {
            lx.advance();
            return TableBuilder.freeze(table);
        }
        while (true) {
            if (lx.atNewline()) {
                throw lx.error("expected a key in inline table, found newline (inline tables must be on one line)");
            }
            keyValue(table);
            lx.skipWhitespace();
            int c = lx.peek();
            if (c == '}') {
                lx.advance();
                return TableBuilder.freeze(table);
            }
            if (c != ',') {
                String what = lx.atEnd() ? "unterminated inline table started at " + open.lineColumn() + ": " : "";
                String hint = lx.atNewline() ? " (inline tables must be on one line)" : "";
                throw lx.error(what + "expected ',' or '}' in inline table, found " + lx.found() + hint);
            }
            lx.advance();
            lx.skipWhitespace();
            if (lx.peek() == '}') {
                throw lx.error("trailing comma is not allowed in an inline table, found '}' after ','");
            }
        }
    }
}
