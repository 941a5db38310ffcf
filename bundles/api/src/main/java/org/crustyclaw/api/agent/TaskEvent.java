package org.crustyclaw.api.agent;

import java.time.Instant;
import java.util.Map;

/**
 * One thing that happened in a task, in order. Followers ({@code tasks logs -f},
 * {@code run --follow}, channels) read these; nothing reaches back into the loop.
 *
 * @param seq    position within the task, from 1
 * @param taskId the task
 * @param at     when
 * @param kind   what happened
 * @param text   the streamed model text, the tool's name and arguments, the result, the reason
 * @param detail further fields by kind: {@code call} (tool call id), {@code tool}, {@code error},
 *               {@code state}, {@code approval}, {@code untrusted}
 */
public record TaskEvent(long seq, String taskId, Instant at, Kind kind, String text, Map<String, String> detail) {

    public TaskEvent {
        detail = Map.copyOf(detail);
    }

    public enum Kind {
        /** The task changed state; {@code detail.state} is the new one. */
        STATE,
        /** A piece of the model's reply as it streamed. */
        MODEL_TEXT,
        /** The model asked for a tool call. */
        TOOL_CALL,
        /** A tool call's result (untrusted content). */
        TOOL_RESULT,
        /** A tool call was refused (manifest, policy, schema, unknown tool). */
        REFUSED,
        /** A call waits for a human; {@code detail.approval} is the request id. */
        APPROVAL,
        /** Something a follower should know (truncation, a resumed task, a budget). */
        NOTE
    }
}
