package org.crustyclaw.config.toml;

/**
 * Strict UTF-8 decoding and text checks that report the line and column of the first problem.
 * Rejects overlong encodings, encoded surrogates, code points above U+10FFFF and truncated
 * sequences. A leading byte order mark is not counted as a column, as the parser skips it.
 */
final class Utf8Decoder {

    private Utf8Decoder() {
    }

    static String decode(byte[] b, String file) throws TomlException {
        if (b.length > Toml.MAX_INPUT_BYTES) {
            throw tooLarge(file);
        }
        StringBuilder out = new StringBuilder(b.length);
        int line = 1;
        int column = 1;
        int i = 0;
        while (i < b.length) {
            int b0 = b[i] & 0xFF;
            int cp;
            int extra;
            int min;
            if (b0 < 0x80) {
                cp = b0;
                extra = 0;
                min = 0;
            } else if (b0 >= 0xC0 && b0 < 0xE0) {
                cp = b0 & 0x1F;
                extra = 1;
                min = 0x80;
            } else if (b0 >= 0xE0 && b0 < 0xF0) {
                cp = b0 & 0x0F;
                extra = 2;
                min = 0x800;
            } else if (b0 >= 0xF0 && b0 < 0xF8) {
                cp = b0 & 0x07;
                extra = 3;
                min = 0x10000;
            } else {
                throw invalid(file, line, column, String.format("invalid UTF-8: unexpected byte 0x%02X", b0));
            }
            for (int k = 1; k <= extra; k++) {
                if (i + k >= b.length) {
                    throw invalid(file, line, column, String.format(
                            "invalid UTF-8: sequence starting with byte 0x%02X is cut off by the end of input", b0));
                }
                int bk = b[i + k] & 0xFF;
                if ((bk & 0xC0) != 0x80) {
                    throw invalid(file, line, column, String.format(
                            "invalid UTF-8: expected a continuation byte after 0x%02X, found byte 0x%02X", b0, bk));
                }
                cp = (cp << 6) | (bk & 0x3F);
            }
            if (cp < min) {
                throw invalid(file, line, column, "invalid UTF-8: overlong encoding of " + TomlLexer.hex(cp));
            }
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                throw invalid(file, line, column, "invalid UTF-8: encoded surrogate " + TomlLexer.hex(cp));
            }
            if (cp > Character.MAX_CODE_POINT) {
                throw invalid(file, line, column, "invalid UTF-8: code point above U+10FFFF");
            }
            out.appendCodePoint(cp);
            if (cp == '\n') {
                line++;
                column = 1;
            } else if (!(i == 0 && cp == 0xFEFF)) {
                column++;
            }
            i += extra + 1;
        }
        return out.toString();
    }

    /** Checks a string for unpaired surrogates and for the input size limit (in UTF-8 bytes). */
    static void checkText(String s, String file) throws TomlException {
        if (s.length() > Toml.MAX_INPUT_BYTES) {
            throw tooLarge(file);
        }
        long bytes = 0;
        int line = 1;
        int column = 1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw invalid(file, line, column, "invalid character: unpaired surrogate " + TomlLexer.hex(c));
            } else {
                bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
            if (c == '\n') {
                line++;
                column = 1;
            } else if (!(i == 0 && c == 0xFEFF)) {
                column++;
            }
        }
        if (bytes > Toml.MAX_INPUT_BYTES) {
            throw tooLarge(file);
        }
    }

    private static TomlException tooLarge(String file) {
        return new TomlException(new Position(file, 1, 1), "input is larger than the limit of "
                + Toml.MAX_INPUT_BYTES + " bytes (4 MiB)");
    }

    private static TomlException invalid(String file, int line, int column, String reason) {
        return new TomlException(new Position(file, line, column), reason);
    }
}
