package org.crustyclaw.api.model;

/**
 * A tool call as the model made it.
 *
 * <p>{@code argumentsJson} is the model's raw JSON text: providers do not parse it (where a wire
 * format carries the arguments as an object, as Ollama's does, the provider serialises it back to
 * text). It is untrusted input; the agent loop parses it and validates it against the tool's schema.
 *
 * @param id            the call's id, from the model or made up by the provider when the wire format
 *                      has none; an assistant turn's ids are distinct
 * @param name          the tool the model asked for, not yet checked against any tool list
 * @param argumentsJson the arguments as the model wrote them, possibly malformed; never null
 */
public record ToolUse(String id, String name, String argumentsJson) {

    public ToolUse {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("tool use id is blank: '" + id + "'");
        }
        if (name == null) {
            throw new IllegalArgumentException("tool use " + id + " has a null name");
        }
        if (argumentsJson == null) {
            throw new IllegalArgumentException("tool use " + id + " has null arguments (use \"{}\")");
        }
    }
}
