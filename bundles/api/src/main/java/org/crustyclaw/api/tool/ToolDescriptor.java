package org.crustyclaw.api.tool;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import org.crustyclaw.api.sandbox.TrustTier;

/**
 * What a tool is, as an agent and the policy engine see it.
 *
 * @param name        unique tool name, also the policy resource {@code tool.<name>}
 * @param description one or two sentences a model reads to decide whether to call it
 * @param inputSchema the JSON Schema of the arguments, as JSON text
 * @param tier        the trust tier its code runs under
 * @param permissions the policy actions a caller needs, e.g. {@code fs.read}
 * @param sideEffects what a call can change: nothing, the workspace, or something outside it
 */
public record ToolDescriptor(String name, String description, String inputSchema, TrustTier tier,
        List<String> permissions, SideEffects sideEffects) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    public ToolDescriptor {
        permissions = List.copyOf(permissions);
        Objects.requireNonNull(sideEffects, "sideEffects");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tool name '" + name
                    + "' is not 1-64 lower case letters, digits, '-' or '_'");
        }
        if (description.isBlank()) {
            throw new IllegalArgumentException("tool '" + name + "' has no description");
        }
        if (!inputSchema.strip().startsWith("{")) {
            throw new IllegalArgumentException("tool '" + name + "' input schema is not a JSON object");
        }
    }
}
