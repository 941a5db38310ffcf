package org.crustyclaw.tool.echo;

import java.util.List;
import java.util.Locale;

import org.crustyclaw.api.sandbox.TrustTier;
import org.crustyclaw.api.tool.SideEffects;
import org.crustyclaw.api.tool.ToolAdapter;
import org.crustyclaw.api.tool.ToolCall;
import org.crustyclaw.api.tool.ToolDescriptor;
import org.crustyclaw.api.tool.ToolContext;
import org.crustyclaw.api.tool.ToolName;
import org.crustyclaw.api.tool.ToolResult;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A tool that hands its {@code text} argument back, optionally with a prefix and in upper case.
 * It is the smallest complete plugin: a DS component implementing an SPI interface, its
 * service property from the API ({@link ToolName}), and typed configuration from the
 * {@code [tool.echo]} table of crustyclaw.toml that changes without a restart.
 */
@Component(configurationPid = "org.crustyclaw.tool.echo")
@Designate(ocd = EchoTool.Config.class)
@ToolName("echo")
public final class EchoTool implements ToolAdapter {

    @ObjectClassDefinition(id = "org.crustyclaw.tool.echo", name = "Tool: echo",
            description = "The example plugin: returns its text argument.")
    public @interface Config {
        @AttributeDefinition(description = "Text put before every reply.")
        String prefix() default "";

        @AttributeDefinition(description = "Reply in upper case.")
        boolean upperCase() default false;

        @AttributeDefinition(description = "Longest text accepted, in characters.", min = "1", max = "1048576")
        int maxLength() default 4096;
    }

    private static final ToolDescriptor DESCRIPTOR = new ToolDescriptor("echo",
            "Returns the given text unchanged. Useful to test that tools are wired.",
            "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"text\"]}",
            TrustTier.TRUSTED, List.of(), SideEffects.NONE);

    private volatile Config config;

    @Activate
    public EchoTool(Config config) {
        this.config = config;
    }

    @Modified
    void modified(Config changed) {
        this.config = changed;
    }

    @Override
    public ToolDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ToolResult call(ToolCall call, ToolContext context) {
        Object text = call.arguments().get("text");
        if (!(text instanceof String s)) {
            return ToolResult.failed("argument 'text' must be a string, got "
                    + (text == null ? "nothing" : text.getClass().getSimpleName()));
        }
        Config c = config;
        if (s.length() > c.maxLength()) {
            return ToolResult.failed("argument 'text' is " + s.length() + " characters; at most " + c.maxLength());
        }
        String reply = c.prefix() + s;
        return ToolResult.ok(c.upperCase() ? reply.toUpperCase(Locale.ROOT) : reply);
    }
}
