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
     * Carries out one call. Its arguments come from a model: untrusted input that the tool
     * checks against its schema, answering bad ones with an error result that names the
     * argument and what was expected. The result is untrusted content for the agent loop.
     *
     * @param call    the call, its arguments decoded from JSON
     * @param context the task's workspace and sandbox; the only place the call may act on
     * @throws ToolException when the tool could not run at all (backend down, misconfigured)
     */
    ToolResult call(ToolCall call, ToolContext context) throws ToolException;
}
