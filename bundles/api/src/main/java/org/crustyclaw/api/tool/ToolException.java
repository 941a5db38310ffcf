package org.crustyclaw.api.tool;

/** A tool could not run at all; a call that ran and failed is a {@link ToolResult} instead. */
public class ToolException extends Exception {
    private static final long serialVersionUID = 1L;

    public ToolException(String message) {
        super(message);
    }

    public ToolException(String message, Throwable cause) {
        super(message, cause);
    }
}
