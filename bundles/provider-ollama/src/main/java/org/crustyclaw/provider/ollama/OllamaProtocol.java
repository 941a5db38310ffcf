package org.crustyclaw.provider.ollama;

import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.Map;

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
 * Ollama's {@code POST /api/chat} with {@code stream: true} (ollama/ollama docs/api.md and
 * docs/openapi.yaml): NDJSON objects, tool calls as whole objects whose {@code arguments} is a JSON
 * object (serialised back to text for {@link ToolUse}), the last object {@code done: true} with
 * {@code prompt_eval_count} and {@code eval_count}.
 */
final class OllamaProtocol implements WireProtocol {

    @Override
    public Framing framing() {
        return Framing.NDJSON;
    }

    @Override
    public HttpRequest.Builder chat(ProviderSettings settings, ChatRequest request) {
        return HttpRequest.newBuilder(settings.resolve("/api/chat"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body(request)));
    }

    static String body(ChatRequest request) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", request.model());
        body.put("stream", true);
        body.putObject("options").put("num_predict", request.maxTokens());
        Map<String, String> toolNames = new HashMap<>();
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : request.messages()) {
            ObjectNode out = messages.addObject();
            out.put("role", m.role().name().toLowerCase(java.util.Locale.ROOT));
            out.put("content", m.content());
            m.toolCallId().ifPresent(id -> {
                String name = toolNames.get(id);
                if (name != null) {
                    out.put("tool_name", name);
                }
            });
            if (!m.toolCalls().isEmpty()) {
                ArrayNode calls = out.putArray("tool_calls");
                for (ToolUse call : m.toolCalls()) {
                    toolNames.put(call.id(), call.name());
                    ObjectNode f = calls.addObject().putObject("function");
                    f.put("name", call.name());
                    f.set("arguments", argumentsObject(call));
                }
            }
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolDescriptor t : request.tools()) {
                ObjectNode f = tools.addObject().put("type", "function").putObject("function");
                f.put("name", t.name()).put("description", t.description());
                try {
                    f.set("parameters", Json.parse(t.inputSchema(), "the input schema of tool " + t.name()));
                } catch (WireException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }
        }
        return Json.write(body);
    }

    /** Ollama wants an object; a call whose text was no JSON object goes back as an empty one. */
    private static JsonNode argumentsObject(ToolUse call) {
        try {
            JsonNode parsed = Json.parse(call.argumentsJson(), "arguments");
            return parsed.isObject() ? parsed : Json.MAPPER.createObjectNode();
        } catch (WireException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    @Override
    public void authorize(HttpRequest.Builder request, String apiKey) {
        request.header("Authorization", "Bearer " + apiKey); // an Ollama behind an authenticating proxy
    }

    @Override
    public Decoder decoder(ProviderSettings settings) {
        return new OllamaDecoder(settings.prices());
    }

    @Override
    public HttpRequest.Builder probe(ProviderSettings settings) {
        return HttpRequest.newBuilder(settings.resolve("/api/tags")).header("Accept", "application/json").GET();
    }

    @Override
    public String probeDetail(ProviderSettings settings, String body) throws WireException {
        JsonNode models = Json.parse(body, "the model list of /api/tags").path("models");
        if (!models.isArray()) {
            throw new WireException("/api/tags has no 'models' array: " + Json.excerpt(body));
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        models.forEach(m -> names.add(m.path("name").asText(m.path("model").asText("?"))));
        StringBuilder out = new StringBuilder(names.size() + " model(s) pulled" + (names.isEmpty() ? "" : ": " + String.join(", ", names)));
        for (String wanted : settings.models()) {
            if (!names.contains(wanted) && !names.contains(wanted + ":latest")) {
                out.append("; configured model '").append(wanted).append("' is not pulled: run 'ollama pull ").append(wanted).append("'");
            }
        }
        return out.toString();
    }

    @Override
    public String configHint(ProviderSettings settings) {
        return "start Ollama ('ollama serve', then 'ollama pull MODEL') or set [provider." + settings.name()
                + "] base_url to where it listens (default http://127.0.0.1:11434) and models to what it has pulled";
    }
}
