package org.crustyclaw.api.sandbox;

/** One line a sandboxed process wrote, without its line terminator. */
public record OutputLine(Stream stream, String text) {

    public enum Stream { STDOUT, STDERR }

    public OutputLine {
        if (text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("an output line holds no newline: " + text.length() + " chars");
        }
    }
}
