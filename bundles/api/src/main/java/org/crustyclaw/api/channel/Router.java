package org.crustyclaw.api.channel;

import org.osgi.annotation.versioning.ProviderType;

/** Takes inbound messages from channels into the runtime. Implemented by the core. */
@ProviderType
public interface Router {

    void accept(InboundMessage message);
}
