package org.crustyclaw.api.model;

/**
 * One piece of a streamed reply. A stream ends with exactly one {@link Done} or {@link Failed};
 * nothing follows it.
 */
public sealed interface ChatEvent {

    /** Some text of the reply, as it arrives; never empty. */
    record TextDelta(String text) implements ChatEvent {
        public TextDelta {
            if (text == null || text.isEmpty()) {
                throw new IllegalArgumentException("a text delta is empty");
            }
        }
    }

    /** A tool call, emitted once, when its arguments are complete. */
    record ToolCallRequested(ToolUse call) implements ChatEvent {
        public ToolCallRequested {
            if (call == null) {
                throw new IllegalArgumentException("tool call requested without a call");
            }
        }
    }

    /**
     * The reply ended normally.
     *
     * @param usage      tokens and cost of the call
     * @param stopReason the provider's reason as it sent it ({@code stop}, {@code tool_calls},
     *                   {@code end_turn}, {@code length}, ...), or {@code unknown}
     */
    record Done(Usage usage, String stopReason) implements ChatEvent {
        public Done {
            if (usage == null) {
                throw new IllegalArgumentException("done without usage (use Usage.NONE)");
            }
            if (stopReason == null || stopReason.isBlank()) {
                throw new IllegalArgumentException("done without a stop reason: '" + stopReason + "'");
            }
        }
    }

    /**
     * The reply could not be completed.
     *
     * @param reason    what went wrong, for a person to read (already redacted, no secrets)
     * @param retriable true when the same request may succeed later (rate limit, server down,
     *                  provider gone); false for a bad request, a wrong key, cancellation
     */
    record Failed(String reason, boolean retriable) implements ChatEvent {
        public Failed {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("failed without a reason");
            }
        }
    }
}
