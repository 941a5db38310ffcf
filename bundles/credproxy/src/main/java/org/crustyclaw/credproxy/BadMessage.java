package org.crustyclaw.credproxy;

/** A message the proxy refuses to read further; {@code status} is what the client is told. */
final class BadMessage extends Exception {
    private static final long serialVersionUID = 1L;

    final int status;

    BadMessage(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
