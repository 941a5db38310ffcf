package org.crustyclaw.commands.format;

import java.nio.file.Path;

import org.apache.felix.service.command.CommandSession;
import org.crustyclaw.api.policy.Principal;
import org.crustyclaw.api.runtime.CommandFailedException;

/**
 * What a command takes from its Gogo session: who is asking (the admin socket puts the
 * connection's {@link Principal.Authenticated} under {@link #PRINCIPAL}) and where relative
 * paths start (the client's working directory).
 */
public final class Arguments {

    /** Session attribute holding the {@link Principal.Authenticated} of the connection. */
    public static final String PRINCIPAL = "crustyclaw.principal";

    private Arguments() {}

    /**
     * The session's principal. A session nobody authenticated (the daemon's own console, a
     * session a plugin opened) has none and is denied: acting commands need a connection over
     * the admin socket, whose peer credentials name the user.
     *
     * @throws CommandFailedException (exit 1) when the session carries no authenticated principal
     */
    public static Principal.Authenticated principal(CommandSession session) {
        Object set = session == null ? null : session.get(PRINCIPAL);
        if (set instanceof Principal.Authenticated a) {
            return a;
        }
        throw new CommandFailedException(1, "denied: this session is unauthenticated (no " + PRINCIPAL
                + "); run the command through bin/crustyclaw, whose admin socket connection proves the user");
    }

    /** {@code file} resolved against the session's directory (the CLI's working directory). */
    public static Path path(CommandSession session, String file) {
        Path p = Path.of(file);
        if (p.isAbsolute() || session == null || session.currentDir() == null) {
            return p.toAbsolutePath().normalize();
        }
        return session.currentDir().resolve(p).normalize();
    }
}
