package org.crustyclaw.provider.common;

import java.net.http.HttpRequest;
import java.util.Optional;
import java.util.function.Consumer;

import org.crustyclaw.api.model.ChatEvent;
import org.crustyclaw.api.model.ChatRequest;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * What differs between model APIs: how a request is written, how the key is sent, how the stream
 * splits and what its frames mean. {@link StreamingProvider} does the rest.
 */
@ConsumerType
public interface WireProtocol {

    /** How the streamed body splits into frames. */
    Framing framing();

    /** The streaming chat request without credentials: URI, headers and JSON body. */
    HttpRequest.Builder chat(ProviderSettings settings, ChatRequest request);

    /** Adds the API key to a request; only called when a key is configured. */
    void authorize(HttpRequest.Builder request, String apiKey);

    /** A fresh decoder for one call's stream. */
    Decoder decoder(ProviderSettings settings);

    /** A cheap request that shows whether the server is there and the key works (a model list). */
    HttpRequest.Builder probe(ProviderSettings settings);

    /** What a successful probe's body says, e.g. the models the server has; throws on a foreign body. */
    String probeDetail(ProviderSettings settings, String body) throws WireException;

    /** The keys of {@code [provider.NAME]} a user sets to make this provider work. */
    String configHint(ProviderSettings settings);

    /** Whether an HTTP status means "try again later" (429, 5xx; Anthropic's 529 overloaded). */
    default boolean retriable(int status) {
        return status == 429 || status == 408 || status >= 500;
    }

    /** Turns one call's frames into events. Stateful; one per call, used by one thread. */
    interface Decoder {

        /**
         * Handles one frame: emits text and completed tool calls to {@code out}, and returns the
         * terminal event ({@code Done} or {@code Failed}) when the frame ends the reply.
         *
         * @throws WireException when the frame breaks the wire format
         */
        Optional<ChatEvent> frame(Frame frame, Consumer<ChatEvent> out) throws WireException;
    }
}
