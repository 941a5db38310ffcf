package org.crustyclaw.commands.security;

import java.nio.file.Path;

import org.apache.felix.service.command.CommandSession;
import org.crustyclaw.api.policy.Principal.Authenticated;
import org.crustyclaw.commands.format.Arguments;

/** What the commands take from the Gogo session: who is asking and where relative paths start. */
final class Sessions {

    private Sessions() {}

    static Authenticated principal(CommandSession session) {
        return Arguments.principal(session);
    }

    /** A path as the user typed it, relative to the session's directory. */
    static Path resolve(CommandSession session, String file) {
        return Arguments.path(session, file);
    }
}
