package org.crustyclaw.security.audit;

import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical text of an event payload: a JSON object of strings with sorted keys, so the
 * same payload always hashes the same. Also parses it back.
 */
final class Payloads {

    private Payloads() {}

    static String encode(Map<String, String> payload) {
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(payload).entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            quote(out, e.getKey());
            out.append(':');
            quote(out, e.getValue());
        }
        return out.append('}').toString();
    }

    static Map<String, String> decode(String text) {
        Map<String, String> out = new TreeMap<>();
        int[] at = {1};
        if (!text.startsWith("{")) {
            throw new IllegalArgumentException("audit payload does not start with '{': " + text);
        }
        while (text.charAt(at[0]) != '}') {
            String key = unquote(text, at);
            at[0]++; // ':'
            out.put(key, unquote(text, at));
            if (text.charAt(at[0]) == ',') {
                at[0]++;
            }
        }
        return out;
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static String unquote(String text, int[] at) {
        StringBuilder out = new StringBuilder();
        int i = at[0] + 1; // skip opening quote
        while (text.charAt(i) != '"') {
            char c = text.charAt(i++);
            if (c == '\\') {
                char e = text.charAt(i++);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(text.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> out.append(e);
                }
            } else {
                out.append(c);
            }
        }
        at[0] = i + 1;
        return out.toString();
    }
}
