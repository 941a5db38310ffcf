package org.crustyclaw.config.toml;

import java.util.List;
import java.util.Objects;

/**
 * A TOML array; elements may be of mixed types. An array of tables ({@code [[x]]}) is an
 * array whose elements are all {@link TomlTable}s.
 *
 * @param values   the elements, copied into an unmodifiable list; no nulls
 * @param position where the array was defined: its key, its own position as an array element,
 *                 or the first {@code [[header]]} of an array of tables
 */
public record TomlArray(List<TomlValue> values, Position position) implements TomlValue {

    public TomlArray {
        values = List.copyOf(values);
        Objects.requireNonNull(position, "position");
    }

    /** Returns the number of elements. */
    public int size() {
        return values.size();
    }

    /** Returns the element at {@code index}. */
    public TomlValue get(int index) {
        return values.get(index);
    }

    @Override
    public String typeName() {
        return "array";
    }

    @Override
    public boolean sameValue(TomlValue other) {
        if (!(other instanceof TomlArray a) || a.values.size() != values.size()) {
            return false;
        }
        for (int i = 0; i < values.size(); i++) {
            if (!values.get(i).sameValue(a.values.get(i))) {
                return false;
            }
        }
        return true;
    }
}
