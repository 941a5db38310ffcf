package org.crustyclaw.commands.tools;

import java.util.List;
import java.util.Locale;

import org.crustyclaw.api.tool.ToolDescriptor;

/** The shapes the tools commands print: records, so the human form and the JSON agree. */
public final class ToolViews {

    private ToolViews() {}

    /** One line of {@code tools:list}. */
    public record ToolRow(String name, String sideEffects, String permissions, String description) {
        static ToolRow of(ToolDescriptor d) {
            return new ToolRow(d.name(), d.sideEffects().name().toLowerCase(Locale.ROOT),
                    String.join(",", d.permissions()), d.description());
        }
    }

    /** {@code tools:show}: everything a model is told about the tool. */
    public record ToolView(String name, String description, String tier, String sideEffects, List<String> permissions,
            String inputSchema) {
        static ToolView of(ToolDescriptor d) {
            return new ToolView(d.name(), d.description(), d.tier().name().toLowerCase(Locale.ROOT),
                    d.sideEffects().name().toLowerCase(Locale.ROOT), d.permissions(), d.inputSchema());
        }
    }

    /** {@code tools:call}: what the tool returned, and where it worked. */
    public record CallView(String tool, String callId, String workspace, boolean error, String text) {}
}
