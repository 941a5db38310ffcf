package org.crustyclaw.config.toml;

import java.util.Objects;

/**
 * A TOML float (IEEE 754 binary64), including {@code inf} and {@code nan}.
 *
 * @param value    the value
 * @param position where the value was defined
 */
public record TomlFloat(double value, Position position) implements TomlValue {

    public TomlFloat {
        Objects.requireNonNull(position, "position");
    }

    @Override
    public String typeName() {
        return "float";
    }

    @Override
    public boolean sameValue(TomlValue other) {
        return other instanceof TomlFloat f && Double.compare(f.value, value) == 0;
    }
}
