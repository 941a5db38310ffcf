package org.crustyclaw.agent.loop;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** How the outside stops a running loop: cancel, or the provider it streams from going away. */
public final class Control {

    private volatile boolean cancelled;
    private final AtomicReference<String> providerGone = new AtomicReference<>();
    private volatile Thread thread;

    void attach(Thread t) {
        this.thread = t;
    }

    void detach() {
        this.thread = null;
    }

    public void cancel() {
        cancelled = true;
        interrupt();
    }

    /** The provider {@code name} was removed; a loop streaming from it ends with {@code provider gone}. */
    public void providerGone(String name) {
        providerGone.set(name);
        interrupt();
    }

    public boolean cancelled() {
        return cancelled;
    }

    Optional<String> goneProvider() {
        return Optional.ofNullable(providerGone.get());
    }

    private void interrupt() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
