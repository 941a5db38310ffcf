package org.crustyclaw.security.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.crustyclaw.api.config.ConfigProblem;
import org.crustyclaw.config.toml.Position;
import org.crustyclaw.config.toml.TomlArray;
import org.crustyclaw.config.toml.TomlInteger;
import org.crustyclaw.config.toml.TomlString;
import org.crustyclaw.config.toml.TomlTable;
import org.crustyclaw.config.toml.TomlValue;

/** Typed reads from a TOML table that collect problems with file, line and key path. */
final class TomlReader {

    private final List<ConfigProblem> problems;
    private final TomlTable table;
    private final String path;

    TomlReader(List<ConfigProblem> problems, TomlTable table, String path) {
        this.problems = problems;
        this.table = table;
        this.path = path;
    }

    void problem(Position at, String key, String message) {
        problems.add(new ConfigProblem(at.file(), at.line(), at.column(), key.isEmpty() ? path : path + "." + key, message));
    }

    int problemCount() {
        return problems.size();
    }

    Position position() {
        return table.position();
    }

    void onlyKeys(Set<String> allowed) {
        for (String key : table.keys()) {
            if (!allowed.contains(key)) {
                problem(table.get(key).orElseThrow().position(), key, "unknown key '" + key + "': expected one of "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
    }

    Optional<String> string(String key, boolean required) {
        Optional<TomlValue> v = table.get(key);
        if (v.isEmpty()) {
            if (required) {
                problem(table.position(), key, "missing: expected a string");
            }
            return Optional.empty();
        }
        if (v.get() instanceof TomlString s) {
            return Optional.of(s.value());
        }
        problem(v.get().position(), key, "is " + v.get().typeName() + ": expected a string");
        return Optional.empty();
    }

    Optional<Long> integer(String key) {
        Optional<TomlValue> v = table.get(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof TomlInteger i) {
            return Optional.of(i.value());
        }
        problem(v.get().position(), key, "is " + v.get().typeName() + ": expected an integer");
        return Optional.empty();
    }

    Optional<Boolean> bool(String key) {
        Optional<TomlValue> v = table.get(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof org.crustyclaw.config.toml.TomlBoolean b) {
            return Optional.of(b.value());
        }
        problem(v.get().position(), key, "is " + v.get().typeName() + ": expected true or false");
        return Optional.empty();
    }

    /** A string or an array of strings, as a list; empty when absent. */
    List<String> strings(String key) {
        Optional<TomlValue> v = table.get(key);
        List<String> out = new ArrayList<>();
        if (v.isEmpty()) {
            return out;
        }
        if (v.get() instanceof TomlString s) {
            out.add(s.value());
        } else if (v.get() instanceof TomlArray a) {
            for (TomlValue item : a.values()) {
                if (item instanceof TomlString s) {
                    out.add(s.value());
                } else {
                    problem(item.position(), key, "holds a " + item.typeName() + ": expected strings");
                }
            }
        } else {
            problem(v.get().position(), key, "is " + v.get().typeName() + ": expected a string or an array of strings");
        }
        return out;
    }

    Position positionOf(String key) {
        return table.get(key).map(TomlValue::position).orElse(table.position());
    }

    /** The tables of an array of tables ({@code [[key]]}), with problems for anything else. */
    List<TomlTable> tables(String key) {
        Optional<TomlValue> v = table.get(key);
        List<TomlTable> out = new ArrayList<>();
        if (v.isEmpty()) {
            return out;
        }
        if (!(v.get() instanceof TomlArray a)) {
            problem(v.get().position(), key, "is " + v.get().typeName() + ": expected an array of tables ([[" + path + "." + key + "]])");
            return out;
        }
        for (TomlValue item : a.values()) {
            if (item instanceof TomlTable t) {
                out.add(t);
            } else {
                problem(item.position(), key, "holds a " + item.typeName() + ": expected tables ([[" + path + "." + key + "]])");
            }
        }
        return out;
    }
}
