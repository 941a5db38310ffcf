package org.crustyclaw.api.channel;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A way to reach people. Register as an OSGi service; inbound messages go to the core's
 * {@link Router}, which the channel references.
 */
@ConsumerType
public interface Channel {

    /** A short stable name such as {@code signal}, {@code cli} or {@code tui}. */
    String name();

    /** Whether the channel is connected right now, for {@code status}. */
    boolean connected();

    /** Sends a message; throws {@link java.io.IOException} when the peer cannot be reached. */
    void send(OutboundMessage message) throws java.io.IOException;
}
