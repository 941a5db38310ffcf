package org.crustyclaw.provider.openai;

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
 * OpenAI Chat Completions ({@code POST {base}/chat/completions}, {@code stream: true}), as
 * openai/openai-openapi describes it; served alike by OpenAI, vLLM, llama.cpp's server, LM Studio
 * and OpenRouter. {@code base_url} ends before {@code /chat/completions}, e.g.
 * {@code https://api.openai.com/v1}.
 */
final class OpenAiProtocol implements WireProtocol {

    @Override
    public Framing framing() {
        return Framing.SSE;
    }

    @Override
    public HttpRequest.Builder chat(ProviderSettings settings, ChatRequest request) {
        return HttpRequest.newBuilder(settings.resolve("/chat/completions"))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body(request)));
    }

    static String body(ChatRequest request) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", request.model());
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        body.put("max_tokens", request.maxTokens());
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : request.messages()) {
            ObjectNode out = messages.addObject();
            switch (m.role()) {
                case SYSTEM -> out.put("role", "system").put("content", m.content());
                case USER -> out.put("role", "user").put("content", m.content());
                case TOOL -> out.put("role", "tool").put("tool_call_id", m.toolCallId().orElseThrow()).put("content", m.content());
                case ASSISTANT -> {
                    out.put("role", "assistant");
                    if (m.content().isEmpty()) {
                        out.putNull("content");
                    } else {
                        out.put("content", m.content());
                    }
                    if (!m.toolCalls().isEmpty()) {
                        ArrayNode calls = out.putArray("tool_calls");
                        for (ToolUse call : m.toolCalls()) {
                            ObjectNode c = calls.addObject().put("id", call.id()).put("type", "function");
                            c.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
                        }
                    }
                }
                default -> throw new IllegalArgumentException("unknown role " + m.role());
            }
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolDescriptor t : request.tools()) {
                ObjectNode f = tools.addObject().put("type", "function").putObject("function");
                f.put("name", t.name()).put("description", t.description());
                f.set("parameters", schema(t));
            }
        }
        return Json.write(body);
    }

    static JsonNode schema(ToolDescriptor tool) {
        try {
            return Json.parse(tool.inputSchema(), "the input schema of tool " + tool.name());
        } catch (WireException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public void authorize(HttpRequest.Builder request, String apiKey) {
        request.header("Authorization", "Bearer " + apiKey);
    }

    @Override
    public Decoder decoder(ProviderSettings settings) {
        return new OpenAiDecoder(settings.prices());
    }

    @Override
    public HttpRequest.Builder probe(ProviderSettings settings) {
        return HttpRequest.newBuilder(settings.resolve("/models")).header("Accept", "application/json").GET();
    }

    @Override
    public String probeDetail(ProviderSettings settings, String body) throws WireException {
        JsonNode data = Json.parse(body, "the model list").path("data");
        if (!data.isArray()) {
            throw new WireException("the model list has no 'data' array: " + Json.excerpt(body));
        }
        StringBuilder ids = new StringBuilder();
        for (JsonNode m : data) {
            if (ids.length() > 0) {
                ids.append(", ");
            }
            ids.append(m.path("id").asText("?"));
        }
        return data.size() + " model(s) served" + (data.isEmpty() ? "" : ": " + ids);
    }

    @Override
    public String configHint(ProviderSettings settings) {
        return "set [provider." + settings.name() + "] base_url (e.g. \"https://api.openai.com/v1\", or"
                + " \"http://127.0.0.1:8080/v1\" for llama.cpp's server), models, and api_key_secret naming a secret"
                + " ('crustyclaw secrets set NAME') for a hosted API";
    }
}
