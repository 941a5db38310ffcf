package org.crustyclaw.config.toml;

import java.util.ArrayList;
import java.util.List;

/**
 * A cursor over TOML source text that tracks line and column, skips whitespace, comments and
 * newlines, and reads keys. Strings are read by {@link StringLexer}, other scalars by
 * {@link ScalarLexer}.
 */
final class TomlLexer {

    static final int EOF = -1;

    private final String src;
    private final String file;
    private final int length;
    private int pos;
    private int line = 1;
    private int column = 1;
    private final StringLexer strings;

    TomlLexer(String src, String file) {
        this.src = src;
        this.file = file;
        this.length = src.length();
        this.strings = new StringLexer(this);
    }

    StringLexer strings() {
        return strings;
    }

    String source() {
        return src;
    }

    int offset() {
        return pos;
    }

    boolean atEnd() {
        return pos >= length;
    }

    int peek() {
        return pos < length ? src.charAt(pos) : EOF;
    }

    int peekAt(int ahead) {
        int i = pos + ahead;
        return i < length ? src.charAt(i) : EOF;
    }

    /** Moves past one UTF-16 unit, keeping line and column (in code points) up to date. */
    void advance() {
        char c = src.charAt(pos++);
        if (c == '\n') {
            line++;
            column = 1;
        } else if (!Character.isLowSurrogate(c)) {
            column++;
        }
    }

    void advance(int count) {
        for (int i = 0; i < count; i++) {
            advance();
        }
    }

    Position position() {
        return new Position(file, line, column);
    }

    TomlException error(String reason) {
        return new TomlException(position(), reason);
    }

    TomlException error(Position at, String reason) {
        return new TomlException(at, reason);
    }

    /** Describes the character at the cursor for a "found ..." message. */
    String found() {
        return pos < length ? describe(src.codePointAt(pos)) : describe(EOF);
    }

    static String describe(int cp) {
        if (cp == EOF) {
            return "end of input";
        }
        switch (cp) {
            case '\n':
                return "newline";
            case '\r':
                return "carriage return";
            case '\t':
                return "tab";
            case ' ':
                return "space";
            case '\'':
                return "\"'\"";
            default:
                break;
        }
        if (isControl(cp) || !isVisible(cp)) {
            return String.format("character U+%04X", cp);
        }
        return "'" + new String(Character.toChars(cp)) + "'";
    }

    private static boolean isVisible(int cp) {
        int type = Character.getType(cp);
        return type != Character.FORMAT && type != Character.UNASSIGNED && type != Character.SURROGATE
                && type != Character.PRIVATE_USE && type != Character.SPACE_SEPARATOR
                && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR;
    }

    /** Control characters as TOML defines them: U+0000..U+001F and U+007F. */
    static boolean isControl(int c) {
        return (c >= 0 && c < 0x20) || c == 0x7F;
    }

    static String hex(int c) {
        return String.format("U+%04X", c);
    }

    void skipWhitespace() {
        while (pos < length) {
            char c = src.charAt(pos);
            if (c != ' ' && c != '\t') {
                return;
            }
            advance();
        }
    }

    boolean atNewline() {
        int c = peek();
        return c == '\n' || c == '\r';
    }

    /** Consumes LF or CRLF; a CR on its own is an error. */
    void consumeNewline() throws TomlException {
        if (peek() == '\r') {
            if (peekAt(1) != '\n') {
                throw error("expected a line feed after carriage return, found " + describeAt(1));
            }
            advance();
        }
        advance();
    }

    private String describeAt(int ahead) {
        int i = pos + ahead;
        return i < length ? describe(src.codePointAt(i)) : describe(EOF);
    }

    /** Skips a comment starting at '#', up to but not including the line end. */
    void skipComment() throws TomlException {
        advance();
        while (pos < length) {
            char c = src.charAt(pos);
            if (c == '\n' || (c == '\r' && peekAt(1) == '\n')) {
                return;
            }
            if (c == '\r') {
                throw error("expected a line feed after carriage return, found " + describeAt(1));
            }
            if (isControl(c) && c != '\t') {
                throw error("control character " + hex(c) + " is not allowed in a comment");
            }
            advance();
        }
    }

    /** Skips whitespace, comments and newlines, as allowed between array elements. */
    void skipBlank() throws TomlException {
        while (true) {
            skipWhitespace();
            int c = peek();
            if (c == '#') {
                skipComment();
            } else if (c == '\n' || c == '\r') {
                consumeNewline();
            } else {
                return;
            }
        }
    }

    /** Expects optional whitespace and comment, then a newline or the end of input. */
    void expectLineEnd(String after) throws TomlException {
        skipWhitespace();
        if (peek() == '#') {
            skipComment();
        }
        if (atEnd()) {
            return;
        }
        if (!atNewline()) {
            throw error("expected end of line after " + after + ", found " + found());
        }
        consumeNewline();
    }

    /** Reads a key: one or more simple keys separated by dots, with optional whitespace. */
    List<TomlKey> readKey() throws TomlException {
        List<TomlKey> keys = new ArrayList<>(2);
        keys.add(readSimpleKey("expected a key, found "));
        while (true) {
            skipWhitespace();
            if (peek() != '.') {
                return keys;
            }
            advance();
            skipWhitespace();
            if (keys.size() >= Toml.MAX_DEPTH) {
                throw error("nesting depth exceeds the limit of " + Toml.MAX_DEPTH);
            }
            keys.add(readSimpleKey("expected a key after '.', found "));
        }
    }

    private TomlKey readSimpleKey(String expected) throws TomlException {
        Position at = position();
        int c = peek();
        if (c == '"' || c == '\'') {
            if (peekAt(1) == c && peekAt(2) == c) {
                throw error("multi-line strings cannot be used as keys");
            }
            return new TomlKey(c == '"' ? strings.basic() : strings.literal(), at);
        }
        int start = pos;
        while (pos < length && TomlKeys.isBareKeyChar(src.charAt(pos))) {
            advance();
        }
        if (pos == start) {
            throw error(expected + found());
        }
        if (pos - start > Toml.MAX_STRING_BYTES) {
            throw error(at, "key exceeds the limit of " + Toml.MAX_STRING_BYTES + " bytes");
        }
        return new TomlKey(src.substring(start, pos), at);
    }
}
