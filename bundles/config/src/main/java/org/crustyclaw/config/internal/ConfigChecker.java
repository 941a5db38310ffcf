package org.crustyclaw.config.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.crustyclaw.api.config.ConfigProblem;
import org.crustyclaw.config.toml.Position;
import org.crustyclaw.config.toml.TomlArray;
import org.crustyclaw.config.toml.TomlTable;
import org.crustyclaw.config.toml.TomlValue;

/**
 * Checks a parsed {@code crustyclaw.toml} against the {@link Schema} and turns it into
 * ConfigAdmin properties. The table {@code [a.b]} configures PID {@code org.crustyclaw.a.b};
 * its {@code snake_case} keys are the camelCase attribute ids of that PID's metatype. Top-level
 * tables owned by a section handler are left to the handler.
 */
public final class ConfigChecker {

    public static final String PID_PREFIX = "org.crustyclaw.";

    /** The outcome: problems (empty when valid) and, per PID, the properties to apply. */
    public record Result(List<ConfigProblem> problems, Map<String, Map<String, Object>> properties) {
        public Result {
            problems = List.copyOf(problems);
            properties = Map.copyOf(properties);
        }

        public boolean valid() {
            return problems.isEmpty();
        }
    }

    private final Schema schema;
    private final Set<String> handlerSections;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Map<String, Map<String, Object>> properties = new LinkedHashMap<>();

    private ConfigChecker(Schema schema, Set<String> handlerSections) {
        this.schema = schema;
        this.handlerSections = Set.copyOf(handlerSections);
    }

    public static Result check(TomlTable root, Schema schema, Set<String> handlerSections) {
        ConfigChecker checker = new ConfigChecker(schema, handlerSections);
        for (var entry : root.entries().entrySet()) {
            String key = entry.getKey();
            if (checker.handlerSections.contains(key)) {
                continue;
            }
            if (entry.getValue() instanceof TomlTable table) {
                checker.section(key, table);
            } else {
                checker.problem(entry.getValue().position(), key, "a top-level key must be a table such as [" + key
                        + "], found " + entry.getValue().typeName());
            }
        }
        return new Result(checker.problems, checker.properties);
    }

    private void section(String path, TomlTable table) {
        var ocd = schema.ocd(PID_PREFIX + path);
        if (ocd.isEmpty()) {
            boolean onlyTables = table.entries().values().stream().allMatch(TomlTable.class::isInstance);
            if (onlyTables && !table.isEmpty()) {
                table.entries().forEach((k, v) -> section(path + "." + k, (TomlTable) v));
            } else {
                problem(table.position(), path, "unknown section [" + path + "]: no installed bundle declares "
                        + "configuration " + PID_PREFIX + path + "; known sections: " + knownSections());
            }
            return;
        }
        Map<String, Object> props = new LinkedHashMap<>();
        for (var entry : table.entries().entrySet()) {
            String key = entry.getKey();
            String keyPath = path + "." + key;
            TomlValue value = entry.getValue();
            if (value instanceof TomlTable sub && schema.ocd(PID_PREFIX + keyPath).isPresent()) {
                section(keyPath, sub);
                continue;
            }
            Schema.Attr attr = ocd.get().attributes().get(Keys.camel(key));
            if (attr == null) {
                problem(value.position(), keyPath, "unknown key '" + key + "'; expected one of: "
                        + ocd.get().attributes().keySet().stream().map(Keys::snake).sorted().collect(Collectors.joining(", ")));
                continue;
            }
            try {
                props.put(attr.id(), Values.convert(value, attr));
            } catch (IllegalArgumentException e) {
                problem(value.position(), keyPath, e.getMessage());
            }
        }
        properties.put(PID_PREFIX + path, props);
    }

    private String knownSections() {
        List<String> known = schema.byPid().keySet().stream().filter(p -> p.startsWith(PID_PREFIX))
                .map(p -> "[" + p.substring(PID_PREFIX.length()) + "]").sorted().collect(Collectors.toList());
        handlerSections.stream().map(s -> "[" + s + "]").forEach(known::add);
        return known.isEmpty() ? "none" : String.join(", ", known);
    }

    private void problem(Position at, String path, String message) {
        problems.add(new ConfigProblem(at.file(), at.line(), at.column(), path, message));
    }

    /** Whether a value is an array of tables (TOML {@code [[x]]}), which ConfigAdmin cannot hold. */
    static boolean isTableArray(TomlValue value) {
        return value instanceof TomlArray a && !a.values().isEmpty() && a.values().get(0) instanceof TomlTable;
    }
}
