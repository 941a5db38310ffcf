package org.crustyclaw.api.hook;

import org.osgi.annotation.versioning.ProviderType;

/** Delivers events to the registered hooks. Implemented by the core. */
@ProviderType
public interface Hooks {

    /**
     * Delivers {@code event} to every hook registered for its type, highest priority first.
     * For a vetoable event the first veto stops delivery and is returned.
     */
    Outcome fire(HookEvent event);

    sealed interface Outcome {
        /** Every matching hook saw the event; {@code hooks} is how many. */
        record Delivered(int hooks) implements Outcome {}

        /** A hook stopped the action. */
        record Vetoed(String hook, String reason) implements Outcome {}
    }
}
