package org.crustyclaw.api.command;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One Gogo command scope ({@code osgi.command.scope}) described for users: register it as a
 * service next to the command component. Its verbs must be exactly the scope's
 * {@code osgi.command.function}s, with the options the methods take.
 */
@ConsumerType
public interface CommandArea {

    /** The area's usage; called whenever help or a usage error is printed, so keep it cheap. */
    AreaUsage usage();
}
