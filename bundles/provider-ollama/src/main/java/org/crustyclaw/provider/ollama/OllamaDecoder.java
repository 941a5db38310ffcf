package org.crustyclaw.provider.ollama;

import java.util.Optional;
import java.util.function.Consumer;

import org.crustyclaw.api.model.ChatEvent;
import org.crustyclaw.api.model.ToolUse;
import org.crustyclaw.api.model.Usage;
import org.crustyclaw.provider.common.Frame;
import org.crustyclaw.provider.common.Json;
import org.crustyclaw.provider.common.ProviderSettings;
import org.crustyclaw.provider.common.WireException;
import org.crustyclaw.provider.common.WireProtocol;

import com.fasterxml.jackson.databind.JsonNode;

/** One NDJSON object at a time: text, whole tool calls, {@code error}, and the {@code done} object. */
final class OllamaDecoder implements WireProtocol.Decoder {

    private final ProviderSettings.Prices prices;
    private int calls;

    OllamaDecoder(ProviderSettings.Prices prices) {
        this.prices = prices;
    }

    @Override
    public Optional<ChatEvent> frame(Frame frame, Consumer<ChatEvent> out) throws WireException {
        JsonNode line = Json.parse(frame.data(), "an /api/chat line");
        if (line.path("error").isTextual()) {
            return Optional.of(new ChatEvent.Failed("Ollama reported an error mid-stream: " + line.path("error").asText(), true));
        }
        JsonNode message = line.path("message");
        String text = message.path("content").asText("");
        if (!text.isEmpty()) {
            out.accept(new ChatEvent.TextDelta(text));
        }
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            if (!function.path("name").isTextual()) {
                throw new WireException("a tool call has no function name: " + Json.excerpt(call.toString()));
            }
            JsonNode args = function.path("arguments");
            String json = args.isMissingNode() || args.isNull() ? "{}" : args.isTextual() ? args.asText() : args.toString();
            String id = call.path("id").isTextual() ? call.path("id").asText() : "call_" + (++calls);
            out.accept(new ChatEvent.ToolCallRequested(new ToolUse(id, function.path("name").asText(), json)));
        }
        if (line.path("done").asBoolean(false)) {
            int in = line.path("prompt_eval_count").asInt(0);
            int outTokens = line.path("eval_count").asInt(0);
            return Optional.of(new ChatEvent.Done(new Usage(in, outTokens, prices.costMicroUsd(in, outTokens)),
                    line.path("done_reason").asText("stop")));
        }
        return Optional.empty();
    }
}
