package org.crustyclaw.config.toml;

import java.util.Objects;

/**
 * A TOML boolean.
 *
 * @param value    the value
 * @param position where the value was defined
 */
public record TomlBoolean(boolean value, Position position) implements TomlValue {

    public TomlBoolean {
        Objects.requireNonNull(position, "position");
    }

    @Override
    public String typeName() {
        return "boolean";
    }

    @Override
    public boolean sameValue(TomlValue other) {
        return other instanceof TomlBoolean b && b.value == value;
    }
}
