package org.crustyclaw.config.toml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A TOML table: an insertion-ordered, unmodifiable map from keys to values.
 *
 * @param entries  the entries, copied into an unmodifiable insertion-ordered map; no nulls
 * @param position where the table was defined: its {@code [header]}, the key that introduced
 *                 it, or 1:1 for the root table
 */
public record TomlTable(Map<String, TomlValue> entries, Position position) implements TomlValue {

    public TomlTable {
        Objects.requireNonNull(entries, "entries");
        Objects.requireNonNull(position, "position");
        LinkedHashMap<String, TomlValue> copy = new LinkedHashMap<>(Math.max(4, entries.size() * 2));
        for (Map.Entry<String, TomlValue> e : entries.entrySet()) {
            String key = Objects.requireNonNull(e.getKey(), "key");
            TomlString.requireWellFormed(key, "key");
            copy.put(key, Objects.requireNonNull(e.getValue(), () -> "value of key '" + key + "'"));
        }
        entries = Collections.unmodifiableMap(copy);
    }

    /** Returns an empty table at the given position. */
    public static TomlTable empty(Position position) {
        return new TomlTable(Map.of(), position);
    }

    /** Returns the value stored directly under {@code key} (no dotted-path interpretation). */
    public Optional<TomlValue> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /**
     * Looks a value up by a dotted key written in TOML syntax, e.g. {@code server.port} or
     * {@code servers."eu.west".host}. Each step must lead into a table; arrays are not
     * traversed.
     *
     * @param dottedPath a TOML key: bare or quoted segments separated by dots
     * @return the value, or empty if any step is missing or is not a table
     * @throws IllegalArgumentException if {@code dottedPath} is not a valid TOML key
     */
    public Optional<TomlValue> getPath(String dottedPath) {
        List<String> path = TomlKeys.parsePath(dottedPath);
        TomlValue current = this;
        for (String segment : path) {
            if (!(current instanceof TomlTable table)) {
                return Optional.empty();
            }
            current = table.entries.get(segment);
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }

    /** Returns the keys in insertion order; the set is unmodifiable. */
    public Set<String> keys() {
        return entries.keySet();
    }

    /** Returns the number of entries. */
    public int size() {
        return entries.size();
    }

    /** Returns whether the table has no entries. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public String typeName() {
        return "table";
    }

    @Override
    public boolean sameValue(TomlValue other) {
        if (!(other instanceof TomlTable t) || t.entries.size() != entries.size()) {
            return false;
        }
        for (Map.Entry<String, TomlValue> e : entries.entrySet()) {
            TomlValue theirs = t.entries.get(e.getKey());
            if (theirs == null || !e.getValue().sameValue(theirs)) {
                return false;
            }
        }
        return true;
    }
}
