package org.crustyclaw.api.model;

import java.util.List;
import java.util.Optional;

/**
 * One turn of a conversation.
 *
 * <p>Which fields a turn carries depends on its role: an {@link Role#ASSISTANT} turn may carry
 * the tool calls the model made ({@code toolCalls}, possibly with empty {@code content}); a
 * {@link Role#TOOL} turn answers exactly one of those calls ({@code toolCallId}) and is always
 * {@code untrusted}. No other role carries tool calls or a call id.
 *
 * @param role       who speaks
 * @param content    the text of the turn, possibly empty (an assistant turn with only tool calls)
 * @param toolCalls  the calls an assistant turn made, in the model's order; empty for other roles
 * @param toolCallId for a {@link Role#TOOL} turn the id of the call it answers; empty otherwise
 * @param untrusted  true when the content came from outside the requester (tool results, files,
 *                   fetched pages, other people); the agent loop taints the context on it
 */
public record ChatMessage(Role role, String content, List<ToolUse> toolCalls, Optional<String> toolCallId,
        boolean untrusted) {

    public enum Role { SYSTEM, USER, ASSISTANT, TOOL }

    public ChatMessage {
        if (role == null) {
            throw new IllegalArgumentException("chat message role is null");
        }
        if (content == null) {
            throw new IllegalArgumentException("chat message content is null (use \"\")");
        }
        toolCalls = List.copyOf(toolCalls);
        if (toolCallId == null) {
            throw new IllegalArgumentException("chat message toolCallId is null (use Optional.empty())");
        }
        if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
            throw new IllegalArgumentException("only an ASSISTANT turn carries tool calls, not " + role);
        }
        if (role == Role.TOOL) {
            if (toolCallId.isEmpty() || toolCallId.get().isBlank()) {
                throw new IllegalArgumentException("a TOOL turn needs the id of the call it answers");
            }
            if (!untrusted) {
                throw new IllegalArgumentException("a TOOL turn (call " + toolCallId.get()
                        + ") is untrusted content: untrusted must be true");
            }
        } else if (toolCallId.isPresent()) {
            throw new IllegalArgumentException("only a TOOL turn answers a call, not " + role
                    + " (toolCallId " + toolCallId.get() + ")");
        }
        if (role == Role.ASSISTANT && content.isEmpty() && toolCalls.isEmpty()) {
            throw new IllegalArgumentException("an ASSISTANT turn has neither text nor tool calls");
        }
    }

    /** The system prompt: trusted, written by the skill's author. */
    public static ChatMessage system(String text) {
        return new ChatMessage(Role.SYSTEM, text, List.of(), Optional.empty(), false);
    }

    /** A request of the requester: trusted. */
    public static ChatMessage user(String text) {
        return user(text, false);
    }

    /** A user turn whose content may come from elsewhere (a forwarded message, a file's text). */
    public static ChatMessage user(String text, boolean untrusted) {
        return new ChatMessage(Role.USER, text, List.of(), Optional.empty(), untrusted);
    }

    /**
     * A model's reply as it goes back into the conversation.
     *
     * @param text      the reply's text, possibly empty when it made tool calls
     * @param toolCalls the calls it made, possibly empty
     */
    public static ChatMessage assistant(String text, List<ToolUse> toolCalls) {
        return new ChatMessage(Role.ASSISTANT, text, toolCalls, Optional.empty(), false);
    }

    /** The result of the call {@code callId}: always untrusted. */
    public static ChatMessage toolResult(String callId, String text) {
        return new ChatMessage(Role.TOOL, text, List.of(), Optional.of(callId), true);
    }
}
