package org.crustyclaw.api.audit;

/** An event could not be recorded durably; whatever it recorded must not go ahead. */
public class AuditException extends Exception {
    private static final long serialVersionUID = 1L;

    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }
}
