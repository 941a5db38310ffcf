package org.crustyclaw.api.runtime;

/**
 * Thrown by a command to end with a chosen exit code and a message already written for
 * the user (the admin socket prints it to stderr as is). Exit codes: 1 failure, 2 usage
 * error, 3 not running; 0 is never thrown.
 */
public class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CommandFailedException(int exitCode, String message) {
        super(message);
        if (exitCode < 1 || exitCode > 125) {
            throw new IllegalArgumentException("exit code must be 1..125: " + exitCode);
        }
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
