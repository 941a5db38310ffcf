package org.crustyclaw.provider.anthropic;

import java.net.http.HttpRequest;

import org.crustyclaw.api.model.ChatMessage;
import org.crustyclaw.api.model.ChatRequest;
import org.crustyclaw.api.model.ToolUse;
import org.crustyclaw.api.tool.ToolDescriptor;
import org.crustyclaw.provider.common.Framing;
import org.crustyclaw.provider.common.Json;
import org.crustyclaw.provider.common.ProviderSettings;
import org.crustyclaw.provider.common.WireException;
import org.crustyclaw.provider.common.WireProtocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Anthropic Messages ({@code POST {base}/v1/messages}, {@code stream: true}, API version
 * 2023-06-01), as its streaming guide and anthropic-sdk-typescript's messages.ts describe it.
 * System turns go into {@code system}; an assistant's tool calls become {@code tool_use} blocks and
 * tool results {@code tool_result} blocks of a user turn; consecutive turns of one role merge, as
 * the API wants roles to alternate.
 */
final class AnthropicProtocol implements WireProtocol {

    static final String VERSION = "2023-06-01";

    @Override
    public Framing framing() {
        return Framing.SSE;
    }

    @Override
    public HttpRequest.Builder chat(ProviderSettings settings, ChatRequest request) {
        return HttpRequest.newBuilder(settings.resolve("/v1/messages"))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .header("anthropic-version", VERSION)
                .POST(HttpRequest.BodyPublishers.ofString(body(request)));
    }

    static String body(ChatRequest request) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", request.model());
        body.put("max_tokens", request.maxTokens());
        body.put("stream", true);
        StringBuilder system = new StringBuilder();
        ArrayNode messages = Json.MAPPER.createArrayNode();
        for (ChatMessage m : request.messages()) {
            if (m.role() == ChatMessage.Role.SYSTEM) {
                system.append(system.length() == 0 ? "" : "\n\n").append(m.content());
                continue;
            }
            String role = m.role() == ChatMessage.Role.ASSISTANT ? "assistant" : "user";
            ArrayNode content = turn(messages, role);
            switch (m.role()) {
                case USER -> content.addObject().put("type", "text").put("text", m.content());
                case TOOL -> content.addObject().put("type", "tool_result").put("tool_use_id", m.toolCallId().orElseThrow())
                        .put("content", m.content());
                case ASSISTANT -> {
                    if (!m.content().isEmpty()) {
                        content.addObject().put("type", "text").put("text", m.content());
                    }
                    for (ToolUse call : m.toolCalls()) {
                        content.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name())
                                .set("input", inputObject(call));
                    }
                }
                default -> throw new IllegalArgumentException("unknown role " + m.role());
            }
        }
        if (system.length() > 0) {
            body.put("system", system.toString());
        }
        body.set("messages", messages);
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolDescriptor t : request.tools()) {
                ObjectNode tool = tools.addObject().put("name", t.name()).put("description", t.description());
                try {
                    tool.set("input_schema", Json.parse(t.inputSchema(), "the input schema of tool " + t.name()));
                } catch (WireException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }
        }
        return Json.write(body);
    }

    /** The content array of the last message when it has this role, else of a new one. */
    private static ArrayNode turn(ArrayNode messages, String role) {
        if (!messages.isEmpty()) {
            JsonNode last = messages.get(messages.size() - 1);
            if (last.path("role").asText().equals(role)) {
                return (ArrayNode) last.path("content");
            }
        }
        ObjectNode m = messages.addObject().put("role", role);
        return m.putArray("content");
    }

    /** A tool_use block's input must be an object; text that was none goes back as an empty one. */
    private static JsonNode inputObject(ToolUse call) {
        try {
            JsonNode parsed = Json.parse(call.argumentsJson(), "arguments");
            return parsed.isObject() ? parsed : Json.MAPPER.createObjectNode();
        } catch (WireException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    @Override
    public void authorize(HttpRequest.Builder request, String apiKey) {
        request.header("x-api-key", apiKey);
    }

    @Override
    public Decoder decoder(ProviderSettings settings) {
        return new AnthropicDecoder(settings.prices());
    }

    @Override
    public HttpRequest.Builder probe(ProviderSettings settings) {
        return HttpRequest.newBuilder(settings.resolve("/v1/models")).header("anthropic-version", VERSION).GET();
    }

    @Override
    public String probeDetail(ProviderSettings settings, String body) throws WireException {
        JsonNode data = Json.parse(body, "the model list").path("data");
        if (!data.isArray()) {
            throw new WireException("the model list has no 'data' array: " + Json.excerpt(body));
        }
        java.util.List<String> ids = new java.util.ArrayList<>();
        data.forEach(m -> ids.add(m.path("id").asText("?")));
        return ids.size() + " model(s) served" + (ids.isEmpty() ? "" : ": " + String.join(", ", ids));
    }

    @Override
    public boolean retriable(int status) {
        return status == 429 || status == 408 || status >= 500; // 529: overloaded
    }

    @Override
    public String configHint(ProviderSettings settings) {
        return "store the key ('crustyclaw secrets set " + (settings.apiKeySecret().isEmpty() ? "anthropic_api_key"
                : settings.apiKeySecret()) + "') and name it in [provider." + settings.name()
                + "] api_key_secret; base_url defaults to https://api.anthropic.com";
    }
}
