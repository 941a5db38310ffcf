package org.crustyclaw.api.tool;

/**
 * What a tool returned. A tool that ran and failed returns an error result; it throws
 * only when it could not run at all.
 *
 * @param text  the content handed back to the model
 * @param error true when the tool ran but the call failed (bad arguments, target missing)
 */
public record ToolResult(String text, boolean error) {

    public static ToolResult ok(String text) {
        return new ToolResult(text, false);
    }

    public static ToolResult failed(String reason) {
        return new ToolResult(reason, true);
    }
}
