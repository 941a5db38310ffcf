package org.crustyclaw.api.sandbox;

/** A sandbox could not be created or reached; the command never ran or its outcome is unknown. */
public class SandboxException extends Exception {
    private static final long serialVersionUID = 1L;

    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
