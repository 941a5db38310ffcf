package org.crustyclaw.config.toml;

import java.util.Objects;

/**
 * A TOML string.
 *
 * @param value    the decoded string; must not contain unpaired surrogates
 * @param position where the value was defined
 */
public record TomlString(String value, Position position) implements TomlValue {

    public TomlString {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(position, "position");
        requireWellFormed(value, "value");
    }

    @Override
    public String typeName() {
        return "string";
    }

    @Override
    public boolean sameValue(TomlValue other) {
        return other instanceof TomlString s && s.value.equals(value);
    }

    /** Rejects strings with unpaired surrogates, which TOML (UTF-8) cannot represent. */
    static void requireWellFormed(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(
                        what + " contains an unpaired surrogate at index " + i);
            }
        }
    }
}
