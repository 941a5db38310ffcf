package org.crustyclaw.commands.security;

import java.nio.file.Path;
import java.util.Set;

import org.apache.felix.service.command.CommandSession;
import org.crustyclaw.api.policy.Principal.Authenticated;

/** What the commands take from the Gogo session: who is asking and where relative paths start. */
final class Sessions {

    /**
     * Session attribute the admin socket (or a channel) sets to the {@link Authenticated}
     * principal of the connection.
     */
    static final String PRINCIPAL = "crustyclaw.principal";
    /** The role of the local operator when no principal was set: only the daemon's owner reaches a local shell. */
    static final String LOCAL_ROLE = "admin";

    private Sessions() {}

    static Authenticated principal(CommandSession session) {
        Object set = session == null ? null : session.get(PRINCIPAL);
        if (set instanceof Authenticated a) {
            return a;
        }
        return new Authenticated(System.getProperty("user.name", "operator"), Set.of(LOCAL_ROLE), "gogo", "local-shell");
    }

    /** A path as the user typed it, relative to the session's directory. */
    static Path resolve(CommandSession session, String file) {
        return org.crustyclaw.commands.format.Arguments.path(session, file);
    }
}
