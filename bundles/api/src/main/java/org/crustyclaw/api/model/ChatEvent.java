package org.crustyclaw.api.model;

import java.util.Map;

/** One piece of a streamed reply. A stream ends with exactly one {@link Done} or {@link Failed}. */
public sealed interface ChatEvent {

    record TextDelta(String text) implements ChatEvent {}

    record ToolCallRequested(String id, String tool, Map<String, Object> arguments) implements ChatEvent {
        public ToolCallRequested {
            arguments = Map.copyOf(arguments);
        }
    }

    record Done(int inputTokens, int outputTokens, String stopReason) implements ChatEvent {}

    record Failed(String reason, boolean retriable) implements ChatEvent {}
}
