package org.crustyclaw.config.toml;

import java.util.ArrayList;
import java.util.List;

/** Key and string formatting shared by the parser's messages and the writer. */
final class TomlKeys {

    /** Longest key or value text shown in an error message before it is cut. */
    private static final int DISPLAY_LIMIT = 60;

    private TomlKeys() {
    }

    static boolean isBareKeyChar(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-';
    }

    static boolean isBare(String key) {
        if (key.isEmpty()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            if (!isBareKeyChar(key.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Renders one key segment: bare if possible, otherwise as a basic string. */
    static String format(String key) {
        return isBare(key) ? key : quote(key);
    }

    /** Renders a key path as TOML, e.g. {@code a."b.c".d}. */
    static String format(List<String> path) {
        StringBuilder sb = new StringBuilder();
        for (String segment : path) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(format(segment));
        }
        return sb.toString();
    }

    /** Renders a key path for an error message, cut if very long. */
    static String display(List<TomlKey> keys, int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(keys.get(i).name());
        }
        return cut(format(names));
    }

    static String cut(String text) {
        if (text.length() <= DISPLAY_LIMIT) {
            return text;
        }
        int end = DISPLAY_LIMIT;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "...";
    }

    /** Renders a string as a TOML basic string, escaping quotes, backslashes and controls. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\f' -> sb.append("\\f");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * Parses a dotted key in TOML syntax, as used by {@link TomlTable#getPath(String)}.
     *
     * @throws IllegalArgumentException if the text is not a valid TOML key
     */
    static List<String> parsePath(String text) {
        if (text == null) {
            throw new NullPointerException("dottedPath");
        }
        try {
            TomlLexer lexer = new TomlLexer(text, "<path>");
            lexer.skipWhitespace();
            List<TomlKey> keys = lexer.readKey();
            lexer.skipWhitespace();
            if (!lexer.atEnd()) {
                throw lexer.error("expected '.' or end of key, found " + lexer.found());
            }
            List<String> names = new ArrayList<>(keys.size());
            for (TomlKey key : keys) {
                names.add(key.name());
            }
            return names;
        } catch (TomlException e) {
            throw new IllegalArgumentException("invalid key path '" + cut(text) + "': " + e.getMessage(), e);
        }
    }
}
