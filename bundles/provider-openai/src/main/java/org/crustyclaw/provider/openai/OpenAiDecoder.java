package org.crustyclaw.provider.openai;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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

/**
 * Chat completion chunks of choice 0. Tool calls arrive as fragments keyed by {@code index} (id
 * and name in the first, {@code arguments} text spread over many, several calls interleaved);
 * they are emitted, in index order, when the choice's {@code finish_reason} arrives. The usage
 * chunk ({@code stream_options.include_usage}) has empty {@code choices}; {@code [DONE]} ends.
 */
final class OpenAiDecoder implements WireProtocol.Decoder {

    private final ProviderSettings.Prices prices;
    private final Map<Integer, PendingCall> calls = new TreeMap<>();
    private String finishReason;
    private int inputTokens;
    private int outputTokens;

    private static final class PendingCall {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }

    OpenAiDecoder(ProviderSettings.Prices prices) {
        this.prices = prices;
    }

    @Override
    public Optional<ChatEvent> frame(Frame frame, Consumer<ChatEvent> out) throws WireException {
        if (frame.data().strip().equals("[DONE]")) {
            flushCalls(out);
            return Optional.of(new ChatEvent.Done(new Usage(inputTokens, outputTokens,
                    prices.costMicroUsd(inputTokens, outputTokens)), finishReason == null ? "unknown" : finishReason));
        }
        if (!frame.event().equals("message") && !frame.event().equals("error")) {
            return Optional.empty(); // event types this client does not know are skipped
        }
        JsonNode chunk = Json.parse(frame.data(), "a chat completion chunk");
        if (chunk.has("error")) {
            JsonNode error = chunk.path("error");
            String type = error.path("type").asText(error.path("code").asText(""));
            boolean retriable = type.contains("server") || type.contains("overloaded") || type.contains("rate")
                    || error.path("code").asInt(0) >= 500 || error.path("code").asInt(0) == 429;
            return Optional.of(new ChatEvent.Failed("the server reported an error mid-stream: "
                    + Json.errorMessage(frame.data()), retriable));
        }
        JsonNode usage = chunk.path("usage");
        if (usage.isObject()) {
            inputTokens = usage.path("prompt_tokens").asInt(inputTokens);
            outputTokens = usage.path("completion_tokens").asInt(outputTokens);
        }
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("index").asInt(0) != 0) {
                continue;
            }
            JsonNode delta = choice.path("delta");
            String text = delta.path("content").isTextual() ? delta.path("content").asText() : "";
            if (!text.isEmpty()) {
                out.accept(new ChatEvent.TextDelta(text));
            }
            for (JsonNode fragment : delta.path("tool_calls")) {
                if (!fragment.path("index").canConvertToInt()) {
                    throw new WireException("a tool call fragment has no index: " + Json.excerpt(fragment.toString()));
                }
                PendingCall call = calls.computeIfAbsent(fragment.path("index").asInt(), i -> new PendingCall());
                if (fragment.path("id").isTextual() && !fragment.path("id").asText().isEmpty()) {
                    call.id = fragment.path("id").asText();
                }
                JsonNode function = fragment.path("function");
                if (function.path("name").isTextual() && !function.path("name").asText().isEmpty()) {
                    call.name = call.name == null ? function.path("name").asText() : call.name + function.path("name").asText();
                }
                if (function.path("arguments").isTextual()) {
                    call.arguments.append(function.path("arguments").asText());
                }
            }
            if (choice.path("finish_reason").isTextual()) {
                finishReason = choice.path("finish_reason").asText();
                flushCalls(out);
            }
        }
        return Optional.empty();
    }

    private void flushCalls(Consumer<ChatEvent> out) throws WireException {
        for (var entry : calls.entrySet()) {
            PendingCall c = entry.getValue();
            if (c.name == null) {
                throw new WireException("tool call at index " + entry.getKey() + " never got a function name");
            }
            String id = c.id == null ? "call_" + entry.getKey() : c.id;
            out.accept(new ChatEvent.ToolCallRequested(new ToolUse(id, c.name,
                    c.arguments.length() == 0 ? "{}" : c.arguments.toString())));
        }
        calls.clear();
    }
}
