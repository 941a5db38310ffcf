package org.crustyclaw.provider.common;

import java.util.function.Consumer;

import org.crustyclaw.api.model.ChatEvent;

/** Passes events on and lets exactly one {@code Done} or {@code Failed} through, last. */
final class Terminal {

    private final Consumer<ChatEvent> events;
    private ChatEvent end;

    Terminal(Consumer<ChatEvent> events) {
        this.events = events;
    }

    /** A text delta or a tool call; dropped once the stream has ended. */
    void emit(ChatEvent event) {
        if (event instanceof ChatEvent.Done || event instanceof ChatEvent.Failed) {
            throw new IllegalStateException("a decoder returns its terminal event, it does not emit it: " + event);
        }
        if (end == null) {
            events.accept(event);
        }
    }

    void end(ChatEvent event) {
        if (end == null) {
            end = event;
            events.accept(event);
        }
    }

    boolean ended() {
        return end != null;
    }

    ChatEvent last() {
        return end;
    }
}
