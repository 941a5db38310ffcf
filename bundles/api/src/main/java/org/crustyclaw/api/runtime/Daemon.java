package org.crustyclaw.api.runtime;

import org.osgi.annotation.versioning.ProviderType;

/** The running daemon. Implemented by the core. */
@ProviderType
public interface Daemon {

    DaemonInfo info();

    /** Drains and stops the framework; returns at once, the process exits shortly after. */
    void shutdown(String reason);
}
