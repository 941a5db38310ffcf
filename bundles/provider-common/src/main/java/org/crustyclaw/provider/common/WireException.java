package org.crustyclaw.provider.common;

import java.io.IOException;

/**
 * The server broke its wire format (malformed JSON, an oversized line, an event out of order).
 * The call ends with a {@code Failed} naming what was wrong.
 */
public final class WireException extends IOException {
    private static final long serialVersionUID = 1L;

    public WireException(String message) {
        super(message);
    }

    public WireException(String message, Throwable cause) {
        super(message, cause);
    }
}
