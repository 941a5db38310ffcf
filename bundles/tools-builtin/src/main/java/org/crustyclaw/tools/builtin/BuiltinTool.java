package org.crustyclaw.tools.builtin;

import java.util.List;

import org.crustyclaw.api.sandbox.SandboxException;
import org.crustyclaw.api.sandbox.TrustTier;
import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolAdapter;
import org.crustyclaw.api.tool.ToolCall;
import org.crustyclaw.api.tool.ToolContext;
import org.crustyclaw.api.tool.ToolDescriptor;
import org.crustyclaw.api.tool.ToolException;
import org.crustyclaw.api.tool.ToolResult;

/**
 * What every built-in tool does the same way: its descriptor from one {@link Schema}, the
 * arguments checked against it before anything runs, a refused path or a bad argument as an
 * error result naming what was wrong, the result capped at the context's limit.
 */
abstract class BuiltinTool implements ToolAdapter {

    private final ToolDescriptor descriptor;
    private final Schema schema;

    BuiltinTool(String name, String description, Schema schema, List<String> permissions, SideEffects effects) {
        this.schema = schema;
        this.descriptor = new ToolDescriptor(name, description, schema.json(), TrustTier.TRUSTED, permissions,
                effects);
    }

    @Override
    public final ToolDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public final ToolResult call(ToolCall call, ToolContext context) throws ToolException {
        if (!call.tool().equals(descriptor.name())) {
            throw new ToolException("call for tool '" + call.tool() + "' sent to '" + descriptor.name() + "'");
        }
        if (context.maxOutputChars() < 1) {
            throw new ToolException("the context's output cap is " + context.maxOutputChars()
                    + " characters; expected at least 1");
        }
        try {
            ToolResult r = run(schema.check(descriptor.name(), call.arguments()), context);
            return new ToolResult(Capped.cap(r.text(), context.maxOutputChars()), r.error());
        } catch (Schema.BadArgument | Workspace.Refused e) {
            return ToolResult.failed(e.getMessage());
        } catch (SandboxException e) {
            return ToolResult.failed(descriptor.name() + ": the sandbox refused or failed the command: "
                    + e.getMessage());
        }
    }

    abstract ToolResult run(Schema.Args args, ToolContext context)
            throws Workspace.Refused, SandboxException, ToolException;
}
