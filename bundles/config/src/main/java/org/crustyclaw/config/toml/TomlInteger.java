package org.crustyclaw.config.toml;

import java.util.Objects;

/**
 * A TOML integer (64-bit signed).
 *
 * @param value    the value
 * @param position where the value was defined
 */
public record TomlInteger(long value, Position position) implements TomlValue {

    public TomlInteger {
        Objects.requireNonNull(position, "position");
    }

    @Override
    public String typeName() {
        return "integer";
    }

    @Override
    public boolean sameValue(TomlValue other) {
        return other instanceof TomlInteger i && i.value == value;
    }
}
