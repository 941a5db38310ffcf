package org.crustyclaw.commands.format;

import java.nio.file.Path;

import org.apache.felix.service.command.CommandSession;

/** Command arguments as the user meant them: relative paths start in the client's directory. */
public final class Arguments {

    private Arguments() {}

    /** {@code file} resolved against the session's directory (the CLI's working directory). */
    public static Path path(CommandSession session, String file) {
        Path p = Path.of(file);
        if (p.isAbsolute() || session == null || session.currentDir() == null) {
            return p.toAbsolutePath().normalize();
        }
        return session.currentDir().resolve(p).normalize();
    }
}
