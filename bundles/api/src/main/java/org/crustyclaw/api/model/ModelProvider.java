package org.crustyclaw.api.model;

import java.util.List;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ConsumerType;

/** A language model API (OpenAI, Anthropic, Ollama). Register as an OSGi service. */
@ConsumerType
public interface ModelProvider {

    /** A short stable name such as {@code openai}. */
    String name();

    List<String> models();

    /**
     * Streams the reply to {@code events}, ending with {@link ChatEvent.Done} or
     * {@link ChatEvent.Failed}. Network errors become {@code Failed}; this method throws
     * only for programming errors.
     */
    void chat(ChatRequest request, Consumer<ChatEvent> events);
}
