package org.crustyclaw.config.toml;

/** Reads the four kinds of TOML strings, decoding escapes and enforcing the size limit. */
final class StringLexer {

    private final TomlLexer lx;
    private StringBuilder sb;
    private long bytes;
    private Position start;

    StringLexer(TomlLexer lx) {
        this.lx = lx;
    }

    /** Reads whichever kind of string starts at the cursor (a quote or apostrophe). */
    String any() throws TomlException {
        int q = lx.peek();
        boolean multi = lx.peekAt(1) == q && lx.peekAt(2) == q;
        if (q == '"') {
            return multi ? multiLineBasic() : basic();
        }
        return multi ? multiLineLiteral() : literal();
    }

    String basic() throws TomlException {
        begin(1);
        while (true) {
            int c = lx.peek();
            if (c == '"') {
                lx.advance();
                return sb.toString();
            }
            if (c == TomlLexer.EOF || c == '\n' || c == '\r') {
                throw lx.error("unterminated string: expected '\"' before the end of the line, found "
                        + lx.found());
            }
            if (c == '\\') {
                escape();
            } else {
                take(c);
            }
        }
    }

    String literal() throws TomlException {
        begin(1);
        while (true) {
            int c = lx.peek();
            if (c == '\'') {
                lx.advance();
                return sb.toString();
            }
            if (c == TomlLexer.EOF || c == '\n' || c == '\r') {
                throw lx.error("unterminated literal string: expected \"'\" before the end of the line, found "
                        + lx.found());
            }
            take(c);
        }
    }

    String multiLineBasic() throws TomlException {
        begin(3);
        skipFirstNewline();
        while (true) {
            int c = lx.peek();
            if (c == '"') {
                if (closes('"')) {
                    return sb.toString();
                }
            } else if (c == '\\') {
                if (isLineEndingBackslash()) {
                    trimAfterBackslash();
                } else {
                    escape();
                }
            } else {
                multiLineChar(c, "\"\"\"");
            }
        }
    }

    String multiLineLiteral() throws TomlException {
        begin(3);
        skipFirstNewline();
        while (true) {
            int c = lx.peek();
            if (c != '\'') {
                multiLineChar(c, "'''");
            } else if (closes('\'')) {
                return sb.toString();
            }
        }
    }

    private void begin(int quotes) {
        start = lx.position();
        sb = new StringBuilder();
        bytes = 0;
        lx.advance(quotes);
    }

    private void skipFirstNewline() {
        if (lx.peek() == '\n') {
            lx.advance();
        } else if (lx.peek() == '\r' && lx.peekAt(1) == '\n') {
            lx.advance(2);
        }
    }

    /**
     * At a run of quote characters inside a multi-line string: up to two belong to the content;
     * three or more close the string, with up to two extra quotes kept as content.
     */
    private boolean closes(char q) throws TomlException {
        int run = 0;
        while (lx.peekAt(run) == q) {
            run++;
        }
        int content = run < 3 ? run : Math.min(run - 3, 2);
        for (int i = 0; i < content; i++) {
            append(q);
        }
        lx.advance(run < 3 ? run : content + 3);
        return run >= 3;
    }

    private void multiLineChar(int c, String closing) throws TomlException {
        if (c == TomlLexer.EOF) {
            throw lx.error("unterminated multi-line string started at " + start.lineColumn()
                    + ": expected '" + closing + "', found end of input");
        }
        if (c == '\n') {
            append('\n');
            lx.advance();
        } else if (c == '\r') {
            lx.consumeNewline();
            append('\n');
        } else {
            take(c);
        }
    }

    /** Appends an ordinary character, rejecting control characters other than tab. */
    private void take(int c) throws TomlException {
        if (TomlLexer.isControl(c) && c != '\t') {
            throw lx.error("control character " + TomlLexer.hex(c) + " is not allowed in a string");
        }
        append((char) c);
        lx.advance();
    }

    private void append(char c) throws TomlException {
        sb.append(c);
        bytes += c < 0x80 ? 1 : (c < 0x800 || Character.isSurrogate(c)) ? 2 : 3;
        if (bytes > Toml.MAX_STRING_BYTES) {
            throw lx.error(start, "string exceeds the limit of " + Toml.MAX_STRING_BYTES + " bytes (1 MiB)");
        }
    }

    private boolean isLineEndingBackslash() {
        int i = 1;
        while (lx.peekAt(i) == ' ' || lx.peekAt(i) == '\t') {
            i++;
        }
        return lx.peekAt(i) == '\n' || lx.peekAt(i) == '\r';
    }

    /** After a line-ending backslash: drops all whitespace and newlines up to the next content. */
    private void trimAfterBackslash() throws TomlException {
        lx.advance();
        while (true) {
            int c = lx.peek();
            if (c == ' ' || c == '\t') {
                lx.advance();
            } else if (c == '\n' || c == '\r') {
                lx.consumeNewline();
            } else {
                return;
            }
        }
    }

    private void escape() throws TomlException {
        Position at = lx.position();
        lx.advance();
        int c = lx.peek();
        char decoded;
        switch (c) {
            case 'b' -> decoded = '\b';
            case 't' -> decoded = '\t';
            case 'n' -> decoded = '\n';
            case 'f' -> decoded = '\f';
            case 'r' -> decoded = '\r';
            case '"' -> decoded = '"';
            case '\\' -> decoded = '\\';
            case 'u', 'U' -> {
                unicodeEscape(at, c == 'u' ? 4 : 8);
                return;
            }
            default -> throw lx.error(at, invalidEscape(c));
        }
        append(decoded);
        lx.advance();
    }

    private static String invalidEscape(int c) {
        if (c == TomlLexer.EOF) {
            return "invalid escape: '\\' at end of input";
        }
        if (TomlLexer.isControl(c) || c == ' ') {
            return "invalid escape: '\\' followed by " + TomlLexer.describe(c) + " in string";
        }
        return "invalid escape '\\" + (char) c + "' in string";
    }

    private void unicodeEscape(Position at, int digits) throws TomlException {
        int from = lx.offset();
        lx.advance();
        long cp = 0;
        for (int i = 0; i < digits; i++) {
            int d = Character.digit(lx.peek(), 16);
            if (lx.peek() == TomlLexer.EOF || d < 0 || lx.peek() > 'f') {
                throw lx.error(at, "invalid escape '\\" + escapeText(from) + "' in string: expected "
                        + digits + " hexadecimal digits, found " + lx.found());
            }
            cp = cp * 16 + d;
            lx.advance();
        }
        if (cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) {
            throw lx.error(at, "invalid escape '\\" + escapeText(from)
                    + "' in string: not a Unicode scalar value");
        }
        if (cp >= 0x10000) {
            append(Character.highSurrogate((int) cp));
            append(Character.lowSurrogate((int) cp));
        } else {
            append((char) cp);
        }
    }

    private String escapeText(int from) {
        return lx.source().substring(from, lx.offset());
    }
}
