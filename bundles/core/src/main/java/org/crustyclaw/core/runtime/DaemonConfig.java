package org.crustyclaw.core.runtime;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code [daemon]} table of crustyclaw.toml (PID {@code org.crustyclaw.daemon}). */
@ObjectClassDefinition(id = "org.crustyclaw.daemon", name = "Daemon",
        description = "Where the daemon keeps its state and how it starts, stops and watches deploy/.")
public @interface DaemonConfig {

    @AttributeDefinition(description = "State directory (database, admin socket, logs, pid file). "
            + "Empty: $CRUSTYCLAW_STATE, else ~/.crustyclaw. Read by the launcher at start.")
    String stateDir() default "";

    @AttributeDefinition(description = "Seconds 'crustyclaw stop' and SIGTERM wait for the daemon to drain.", min = "1", max = "3600")
    int shutdownTimeoutSeconds() default 30;

    @AttributeDefinition(description = "How often deploy/ is scanned for added, changed and removed plugins, in milliseconds.",
            min = "100", max = "60000")
    int deployPollMillis() default 500;

    @AttributeDefinition(description = "JVM options the launcher passes to a daemon it starts in the background.")
    String[] jvmOptions() default {"-Xms16m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"};
}
