package org.crustyclaw.api.model;

import java.util.List;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A language model API (OpenAI-compatible, Anthropic, Ollama). Register as an OSGi service with
 * the {@link ProviderName} property.
 */
@ConsumerType
public interface ModelProvider {

    /** A short stable name such as {@code ollama}: the {@code NAME} of its {@code [provider.NAME]} section. */
    String name();

    /** The models this provider is configured to offer; the first is the default. */
    List<String> models();

    /**
     * Probes the server (a short request, bounded by the connect timeout). Never throws:
     * an unreachable or misconfigured provider is a state whose detail says what to configure.
     */
    ProviderState state();

    /**
     * Streams the reply to {@code events}. Blocks until the stream ends, and ends it with
     * exactly one {@link ChatEvent.Done} or {@link ChatEvent.Failed}, on the calling thread.
     * Network, protocol and server errors become {@code Failed}; interrupting the calling thread
     * cancels the call, closes the stream and ends with {@code Failed("cancelled", false)}.
     * Tool calls arrive as {@link ChatEvent.ToolCallRequested} once their arguments are complete.
     *
     * @throws IllegalArgumentException for a request this provider cannot send (unknown model)
     */
    void chat(ChatRequest request, Consumer<ChatEvent> events);
}
