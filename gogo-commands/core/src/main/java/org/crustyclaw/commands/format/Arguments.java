package org.crustyclaw.commands.format;

import java.nio.file.Path;
import java.util.Set;

import org.apache.felix.service.command.CommandSession;
import org.crustyclaw.api.policy.Principal;

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
     * The session's principal; in a session nobody authenticated (the daemon's own console)
     * the local operator, role {@code admin}, since only the daemon's owner reaches it.
     */
    public static Principal.Authenticated principal(CommandSession session) {
        Object set = session == null ? null : session.get(PRINCIPAL);
        if (set instanceof Principal.Authenticated a) {
            return a;
        }
        return new Principal.Authenticated(System.getProperty("user.name", "operator"), Set.of("admin"), "gogo", "local-shell");
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
