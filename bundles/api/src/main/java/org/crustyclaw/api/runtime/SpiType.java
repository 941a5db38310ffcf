package org.crustyclaw.api.runtime;

/** The plugin kinds of the SPI, by the service interface a plugin registers. */
public enum SpiType {
    SANDBOX_BACKEND("sandbox backends", "org.crustyclaw.api.sandbox.SandboxBackend"),
    TOOL_ADAPTER("tool adapters", "org.crustyclaw.api.tool.ToolAdapter"),
    BLUEPRINT("blueprints", "org.crustyclaw.api.blueprint.Blueprint"),
    REVIEW_GATE("review gates", "org.crustyclaw.api.review.ReviewGate"),
    CHANNEL("channels", "org.crustyclaw.api.channel.Channel"),
    MODEL_PROVIDER("model providers", "org.crustyclaw.api.model.ModelProvider"),
    HOOK("hooks", "org.crustyclaw.api.hook.Hook");

    private final String label;
    private final String serviceInterface;

    SpiType(String label, String serviceInterface) {
        this.label = label;
        this.serviceInterface = serviceInterface;
    }

    /** Plural words for listings, e.g. {@code sandbox backends}. */
    public String label() {
        return label;
    }

    /** The fully qualified name of the service interface. */
    public String serviceInterface() {
        return serviceInterface;
    }
}
