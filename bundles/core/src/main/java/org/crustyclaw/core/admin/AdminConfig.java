package org.crustyclaw.core.admin;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code [admin]} table of crustyclaw.toml (PID {@code org.crustyclaw.admin}): limits of the admin socket. */
@ObjectClassDefinition(id = "org.crustyclaw.admin", name = "Admin socket",
        description = "Limits of the admin socket the CLI talks to, so idle or hoarded connections cannot lock the CLI out.")
public @interface AdminConfig {

    @AttributeDefinition(description = "Seconds a connection may stay open with no command running and nothing sent before"
            + " the daemon closes it (the CLI's shell reconnects by itself).", min = "1", max = "86400")
    int idleTimeoutSeconds() default 120;

    @AttributeDefinition(description = "Connections one user (the daemon's owner, or root) may hold at once; more are"
            + " refused as busy (the CLI exits 1 saying so).", min = "1", max = "1024")
    int maxConnectionsPerUser() default 16;

    @AttributeDefinition(description = "Connections of all users together.", min = "1", max = "4096")
    int maxConnections() default 64;
}
