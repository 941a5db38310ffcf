package org.crustyclaw.config.internal;

import java.lang.reflect.Array;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.crustyclaw.config.toml.Toml;
import org.crustyclaw.config.toml.TomlTable;

/**
 * Renders the configuration in force as TOML: every section the schema knows, with the
 * file's values over the defaults, sensitive values replaced by {@code <redacted>}; sections
 * owned by handlers as the file has them.
 */
final class EffectiveConfig {

    private EffectiveConfig() {}

    static String render(Schema schema, Map<String, Map<String, Object>> applied, TomlTable root, Set<String> handlerSections) {
        StringBuilder out = new StringBuilder("# Effective configuration: file values over defaults; secrets redacted.\n");
        Map<String, Schema.Ocd> sections = new TreeMap<>();
        schema.byPid().forEach((pid, ocd) -> {
            if (pid.startsWith(ConfigChecker.PID_PREFIX)) {
                sections.put(pid, ocd);
            }
        });
        for (Schema.Ocd ocd : sections.values()) {
            Map<String, Object> set = applied.getOrDefault(ocd.pid(), Map.of());
            out.append('\n');
            if (!ocd.name().isEmpty()) {
                out.append("# ").append(ocd.name()).append('\n');
            }
            out.append('[').append(ocd.pid().substring(ConfigChecker.PID_PREFIX.length())).append("]\n");
            for (Schema.Attr attr : ocd.attributes().values()) {
                boolean fromFile = set.containsKey(attr.id());
                if (!fromFile && attr.defaults().isEmpty()) {
                    continue;
                }
                out.append(Keys.snake(attr.id())).append(" = ");
                if (attr.sensitive() || Redaction.sensitiveName(attr.id())) {
                    out.append("\"<redacted>\"");
                } else if (fromFile) {
                    out.append(literal(set.get(attr.id())));
                } else {
                    out.append(defaults(attr));
                }
                out.append(fromFile ? "" : "  # default").append('\n');
            }
        }
        for (String section : handlerSections) {
            root.get(section).ifPresent(value -> out.append('\n').append(
                    Toml.write(new TomlTable(Map.of(section, value), root.position()))));
        }
        return out.toString();
    }

    private static String defaults(Schema.Attr attr) {
        List<String> values = attr.defaults();
        if (!attr.multiple()) {
            return typed(values.get(0), attr.type());
        }
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            out.append(i > 0 ? ", " : "").append(typed(values.get(i), attr.type()));
        }
        return out.append(']').toString();
    }

    private static String typed(String text, String type) {
        return switch (type) {
            case "String", "Password", "Char", "Character" -> quote(text);
            default -> text;
        };
    }

    static String literal(Object value) {
        if (value.getClass().isArray()) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < Array.getLength(value); i++) {
                out.append(i > 0 ? ", " : "").append(literal(Array.get(value, i)));
            }
            return out.append(']').toString();
        }
        return value instanceof String s ? quote(s) : String.valueOf(value);
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
