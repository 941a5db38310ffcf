package org.crustyclaw.api.model;

import java.util.List;

import org.crustyclaw.api.tool.ToolDescriptor;

/**
 * A request for the next assistant turn.
 *
 * @param model     the provider's model name
 * @param messages  the conversation so far, never empty
 * @param tools     the tools the model may call in this turn (scoped per task)
 * @param maxTokens the token budget for the reply
 */
public record ChatRequest(String model, List<ChatMessage> messages, List<ToolDescriptor> tools, int maxTokens) {

    public ChatRequest {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("chat request model is blank: '" + model + "'");
        }
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1: " + maxTokens);
        }
    }
}
