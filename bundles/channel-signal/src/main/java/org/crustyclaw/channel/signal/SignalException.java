package org.crustyclaw.channel.signal;

import java.io.IOException;

/** signal-cli-rest-api answered with an error, or could not be reached. */
final class SignalException extends IOException {

    private static final long serialVersionUID = 1L;
    private final int status;

    SignalException(String message, int status) {
        super(message);
        this.status = status;
    }

    SignalException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status, 0 when the server was not reached. */
    int status() {
        return status;
    }
}
