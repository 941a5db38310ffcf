package org.crustyclaw.config.toml;

/**
 * Reads unquoted scalars: booleans, integers, floats and date-times. The scalar is first cut
 * out as a token of characters that can appear in one, then checked character by character.
 */
final class ScalarLexer {

    private final TomlLexer lx;

    ScalarLexer(TomlLexer lx) {
        this.lx = lx;
    }

    /**
     * Reads the scalar at the cursor.
     *
     * @param at the position to give the value (its key's, or its own in an array)
     */
    TomlValue read(Position at) throws TomlException {
        Position start = lx.position();
        String token = token();
        if (token.isEmpty()) {
            throw lx.error("expected a value, found " + lx.found());
        }
        switch (token) {
            case "true":
                return new TomlBoolean(true, at);
            case "false":
                return new TomlBoolean(false, at);
            case "inf":
            case "+inf":
                return new TomlFloat(Double.POSITIVE_INFINITY, at);
            case "-inf":
                return new TomlFloat(Double.NEGATIVE_INFINITY, at);
            case "nan":
            case "+nan":
            case "-nan":
                return new TomlFloat(Double.NaN, at);
            default:
                break;
        }
        char first = token.charAt(0);
        if (first != '+' && first != '-' && !isDigit(first)) {
            throw lx.error(start, "expected a value, found '" + TomlKeys.cut(token) + "'");
        }
        if (DateTimeLexer.looksLikeDateTime(token)) {
            return new TomlDateTime(DateTimeLexer.parse(token, lx, start), at);
        }
        return number(token, start, at);
    }

    private static boolean isTokenChar(int c) {
        return TomlKeys.isBareKeyChar(c) || c == '+' || c == '.' || c == ':';
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** Cuts out the token; a date followed by a space and a digit continues as a date-time. */
    private String token() {
        String src = lx.source();
        int from = lx.offset();
        while (isTokenChar(lx.peek())) {
            lx.advance();
        }
        if (lx.offset() - from == 10 && DateTimeLexer.isFullDate(src, from)
                && lx.peek() == ' ' && isDigit(lx.peekAt(1))) {
            lx.advance();
            while (isTokenChar(lx.peek())) {
                lx.advance();
            }
        }
        return src.substring(from, lx.offset());
    }

    private TomlValue number(String t, Position start, Position at) throws TomlException {
        int len = t.length();
        int i = 0;
        boolean negative = false;
        if (t.charAt(0) == '+' || t.charAt(0) == '-') {
            negative = t.charAt(0) == '-';
            i = 1;
        }
        if (i + 1 < len && t.charAt(i) == '0' && "xob".indexOf(t.charAt(i + 1)) >= 0) {
            if (i > 0) {
                throw invalid(t, start, "a sign is not allowed on hexadecimal, octal or binary integers");
            }
            return new TomlInteger(radixInteger(t, start), at);
        }
        int intStart = i;
        i = digits(t, i, 10, start);
        if (i == intStart) {
            throw invalid(t, start, "expected a digit, found " + describe(t, i));
        }
        if (t.charAt(intStart) == '0' && i - intStart > 1) {
            throw invalid(t, start, "leading zeros are not allowed");
        }
        boolean isFloat = false;
        if (i < len && t.charAt(i) == '.') {
            isFloat = true;
            int fracStart = ++i;
            i = digits(t, i, 10, start);
            if (i == fracStart) {
                throw invalid(t, start, "expected a digit after '.', found " + describe(t, i));
            }
        }
        if (i < len && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
            isFloat = true;
            i++;
            if (i < len && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
                i++;
            }
            int expStart = i;
            i = digits(t, i, 10, start);
            if (i == expStart) {
                throw invalid(t, start, "expected a digit in the exponent, found " + describe(t, i));
            }
        }
        if (i < len) {
            throw invalid(t, start, "unexpected " + describe(t, i));
        }
        if (isFloat) {
            double value = Double.parseDouble(t.replace("_", ""));
            if (Double.isInfinite(value)) {
                throw lx.error(start, "float out of range: '" + TomlKeys.cut(t) + "'");
            }
            return new TomlFloat(value, at);
        }
        return new TomlInteger(decimalInteger(t, intStart, negative, start), at);
    }

    /** Skips digits of the radix with single underscores between them; returns the end index. */
    private int digits(String t, int i, int radix, Position start) throws TomlException {
        int from = i;
        boolean underscore = false;
        while (i < t.length()) {
            char c = t.charAt(i);
            if (c == '_') {
                if (i == from || underscore) {
                    throw invalid(t, start, "underscores must be between digits");
                }
                underscore = true;
            } else if (digitValue(c, radix) >= 0) {
                underscore = false;
            } else {
                break;
            }
            i++;
        }
        if (underscore) {
            throw invalid(t, start, "underscores must be between digits");
        }
        return i;
    }

    private static int digitValue(char c, int radix) {
        int d;
        if (c >= '0' && c <= '9') {
            d = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            d = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            d = c - 'A' + 10;
        } else {
            return -1;
        }
        return d < radix ? d : -1;
    }

    private long decimalInteger(String t, int from, boolean negative, Position start) throws TomlException {
        long acc = 0;
        for (int i = from; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '_') {
                continue;
            }
            int d = c - '0';
            if (acc < (Long.MIN_VALUE + d) / 10) {
                throw outOfRange(t, start);
            }
            acc = acc * 10 - d;
        }
        if (!negative) {
            if (acc == Long.MIN_VALUE) {
                throw outOfRange(t, start);
            }
            return -acc;
        }
        return acc;
    }

    private long radixInteger(String t, Position start) throws TomlException {
        char kind = t.charAt(1);
        int radix = kind == 'x' ? 16 : kind == 'o' ? 8 : 2;
        int shift = kind == 'x' ? 4 : kind == 'o' ? 3 : 1;
        String name = kind == 'x' ? "hexadecimal" : kind == 'o' ? "octal" : "binary";
        int end = digits(t, 2, radix, start);
        if (end == 2) {
            throw invalid(t, start, "expected " + name + " digits after '0" + kind + "', found " + describe(t, 2));
        }
        if (end < t.length()) {
            throw invalid(t, start, "unexpected " + describe(t, end) + " in " + name + " integer");
        }
        long acc = 0;
        for (int i = 2; i < end; i++) {
            char c = t.charAt(i);
            if (c == '_') {
                continue;
            }
            if (acc > (Long.MAX_VALUE >> shift)) {
                throw outOfRange(t, start);
            }
            acc = (acc << shift) | digitValue(c, radix);
        }
        return acc;
    }

    private static String describe(String t, int i) {
        return i < t.length() ? TomlLexer.describe(t.codePointAt(i)) : "end of number";
    }

    private TomlException invalid(String t, Position start, String detail) {
        return lx.error(start, "invalid number '" + TomlKeys.cut(t) + "': " + detail);
    }

    private TomlException outOfRange(String t, Position start) {
        return lx.error(start, "integer out of range: '" + TomlKeys.cut(t) + "' does not fit in 64 bits");
    }
}
