package org.crustyclaw.api.hook;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Observes events, and may veto those that allow it.
 *
 * <p>Register as an OSGi service with {@link HookEvents} naming the event types it wants
 * ({@code *} for all, {@code task.*} for a family) and optionally {@link HookPriority}
 * (default 0; higher runs first). Hooks are called on the thread that fires the event,
 * so they return quickly; an exception thrown by a hook is logged and treated as continue.
 */
@ConsumerType
public interface Hook {

    HookResult onEvent(HookEvent event);
}
