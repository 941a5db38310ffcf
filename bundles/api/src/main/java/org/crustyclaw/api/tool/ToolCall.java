package org.crustyclaw.api.tool;

import java.util.Map;

/**
 * One call of a tool.
 *
 * @param id        unique per call, used to correlate the result and the audit trail
 * @param tool      the tool's name
 * @param arguments the arguments as decoded JSON (strings, numbers, booleans, lists, maps)
 */
public record ToolCall(String id, String tool, Map<String, Object> arguments) {

    public ToolCall {
        arguments = Map.copyOf(arguments);
        if (id.isBlank()) {
            throw new IllegalArgumentException("tool call id is blank");
        }
    }
}
