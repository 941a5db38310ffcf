package org.crustyclaw.provider.anthropic;

import java.util.HashMap;
import java.util.Map;
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

/**
 * The Messages stream: {@code message_start} (input tokens), {@code content_block_start} /
 * {@code _delta} ({@code text_delta}, {@code input_json_delta}; thinking and signature deltas are
 * skipped) / {@code _stop} (a tool_use block is emitted here, its JSON complete),
 * {@code message_delta} (stop reason, output tokens), {@code message_stop}, {@code ping},
 * {@code error}. Unknown event types are skipped, as Anthropic's versioning policy asks.
 */
final class AnthropicDecoder implements WireProtocol.Decoder {

    private final ProviderSettings.Prices prices;
    private final Map<Integer, ToolBlock> tools = new HashMap<>();
    private int inputTokens;
    private int outputTokens;
    private String stopReason;

    private static final class ToolBlock {
        final String id;
        final String name;
        final StringBuilder json = new StringBuilder();

        ToolBlock(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    AnthropicDecoder(ProviderSettings.Prices prices) {
        this.prices = prices;
    }

    @Override
    public Optional<ChatEvent> frame(Frame frame, Consumer<ChatEvent> out) throws WireException {
        switch (frame.event()) {
            case "message_start" -> {
                JsonNode usage = data(frame).path("message").path("usage");
                inputTokens = usage.path("input_tokens").asInt(0) + usage.path("cache_read_input_tokens").asInt(0)
                        + usage.path("cache_creation_input_tokens").asInt(0);
                outputTokens = usage.path("output_tokens").asInt(0);
            }
            case "content_block_start" -> {
                JsonNode d = data(frame);
                JsonNode block = d.path("content_block");
                int index = index(d);
                if (block.path("type").asText().equals("tool_use")) {
                    if (!block.path("id").isTextual() || !block.path("name").isTextual()) {
                        throw new WireException("a tool_use block without id or name: " + Json.excerpt(block.toString()));
                    }
                    tools.put(index, new ToolBlock(block.path("id").asText(), block.path("name").asText()));
                } else if (block.path("type").asText().equals("text") && !block.path("text").asText("").isEmpty()) {
                    out.accept(new ChatEvent.TextDelta(block.path("text").asText()));
                }
            }
            case "content_block_delta" -> {
                JsonNode d = data(frame);
                JsonNode delta = d.path("delta");
                switch (delta.path("type").asText()) {
                    case "text_delta" -> {
                        String text = delta.path("text").asText("");
                        if (!text.isEmpty()) {
                            out.accept(new ChatEvent.TextDelta(text));
                        }
                    }
                    case "input_json_delta" -> {
                        ToolBlock block = tools.get(index(d));
                        if (block == null) {
                            throw new WireException("input_json_delta for block " + index(d) + ", which is no tool_use block");
                        }
                        block.json.append(delta.path("partial_json").asText(""));
                    }
                    default -> {
                        // thinking_delta, signature_delta, citations_delta: not part of the reply text
                    }
                }
            }
            case "content_block_stop" -> {
                ToolBlock block = tools.remove(index(data(frame)));
                if (block != null) {
                    out.accept(new ChatEvent.ToolCallRequested(new ToolUse(block.id, block.name,
                            block.json.length() == 0 ? "{}" : block.json.toString())));
                }
            }
            case "message_delta" -> {
                JsonNode d = data(frame);
                if (d.path("delta").path("stop_reason").isTextual()) {
                    stopReason = d.path("delta").path("stop_reason").asText();
                }
                outputTokens = d.path("usage").path("output_tokens").asInt(outputTokens);
            }
            case "message_stop" -> {
                return Optional.of(new ChatEvent.Done(new Usage(inputTokens, outputTokens,
                        prices.costMicroUsd(inputTokens, outputTokens)), stopReason == null ? "unknown" : stopReason));
            }
            case "error" -> {
                JsonNode error = data(frame).path("error");
                String type = error.path("type").asText("error");
                boolean retriable = type.equals("overloaded_error") || type.equals("api_error") || type.equals("rate_limit_error");
                return Optional.of(new ChatEvent.Failed("Anthropic reported " + type + " mid-stream: "
                        + error.path("message").asText("(no message)"), retriable));
            }
            default -> {
                // ping, and event types added after this client was written
            }
        }
        return Optional.empty();
    }

    private static JsonNode data(Frame frame) throws WireException {
        return Json.parse(frame.data(), "the " + frame.event() + " event");
    }

    private static int index(JsonNode d) throws WireException {
        if (!d.path("index").canConvertToInt()) {
            throw new WireException("a content block event without index: " + Json.excerpt(d.toString()));
        }
        return d.path("index").asInt();
    }
}
