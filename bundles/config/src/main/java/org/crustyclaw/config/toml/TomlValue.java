package org.crustyclaw.config.toml;

/**
 * A parsed TOML value. Every value knows where it came from: the position of the key that
 * introduced it, or of the value itself for array elements. Records compare positions in
 * {@code equals}; use {@link #sameValue(TomlValue)} to compare by content only.
 */
public sealed interface TomlValue
        permits TomlString, TomlInteger, TomlFloat, TomlBoolean, TomlDateTime, TomlArray, TomlTable {

    /** Where this value was defined; never null. */
    Position position();

    /**
     * The TOML type name, for error messages: {@code string}, {@code integer}, {@code float},
     * {@code boolean}, {@code datetime}, {@code array} or {@code table}.
     */
    String typeName();

    /**
     * Compares by content, ignoring positions. Floats compare like {@link Double#compare}, so
     * {@code nan} equals {@code nan} and {@code -0.0} differs from {@code 0.0}; tables compare
     * as maps, ignoring key order; arrays compare element by element.
     *
     * @param other the value to compare with, may be null (then the result is false)
     * @return whether both values hold the same data
     */
    boolean sameValue(TomlValue other);
}
