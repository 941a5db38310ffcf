package org.crustyclaw.security.validation;

/**
 * One field that breaks its constraint.
 *
 * @param path    dotted path from the validated root, e.g. {@code channels[1].token}
 * @param value   the offending value as text, {@code <redacted>} when sensitive
 * @param message what was expected
 */
public record Violation(String path, String value, String message) {

    @Override
    public String toString() {
        return path + ": '" + value + "' " + message;
    }
}
