package org.crustyclaw.api.tool;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A tool an agent may call: a built-in, a mounted MCP server's tool, a forge API.
 *
 * <p>Register as an OSGi service with {@link ToolName}. The core checks policy and
 * trust tier before {@link #call} and audits every call; adapters do not.
 */
@ConsumerType
public interface ToolAdapter {

    ToolDescriptor descriptor();

    /**
     * Carries out one call.
     *
     * @throws ToolException when the tool could not run at all (backend down, misconfigured)
     */
    ToolResult call(ToolCall call) throws ToolException;
}
