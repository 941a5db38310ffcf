package org.crustyclaw.channel.signal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

/**
 * The account's lifecycle. Only a {@link State#VERIFIED} account sends or receives. The server
 * is the authority on which numbers are registered or linked ({@code GET /v1/accounts}); what
 * only this side knows (a registration waiting for its code, a link URI handed out) is kept in
 * one owner-only file, replaced atomically.
 */
final class Account {

    enum State {
        /** Nothing on the server for the number yet: link it or register it. */
        UNLINKED,
        /** A link URI was handed out; the phone has not scanned it yet. */
        LINKING,
        /** Registration asked Signal for a code: verify it. */
        REGISTERED,
        /** The server holds the account: it may send and receive. */
        VERIFIED
    }

    private final Path file;
    private volatile State state = State.UNLINKED;
    private volatile Instant since = Instant.now();

    Account(Path file) throws IOException {
        this.file = file;
        if (Files.exists(file)) {
            String[] parts = Files.readString(file, StandardCharsets.UTF_8).strip().split(" ", 2);
            try {
                state = State.valueOf(parts[0]);
                since = parts.length > 1 ? Instant.parse(parts[1]) : Instant.now();
            } catch (RuntimeException e) {
                throw new IOException(file + " holds '" + SignalClient.abbreviate(parts[0])
                        + "', expected one of UNLINKED LINKING REGISTERED VERIFIED and a time", e);
            }
        }
    }

    State state() {
        return state;
    }

    Instant since() {
        return since;
    }

    boolean verified() {
        return state == State.VERIFIED;
    }

    /** Moves to {@code next}, on disk first. */
    synchronized void become(State next) throws IOException {
        if (next == state) {
            return;
        }
        Instant now = Instant.now();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.createDirectories(file.getParent());
        Files.writeString(tmp, next + " " + now + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        state = next;
        since = now;
    }

    /** Brings the state in line with the server's account list. */
    void reconcile(boolean onServer) throws IOException {
        if (onServer) {
            become(State.VERIFIED);
        } else if (state == State.VERIFIED) {
            become(State.UNLINKED);
        }
    }
}
