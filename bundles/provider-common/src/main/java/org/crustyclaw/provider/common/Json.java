package org.crustyclaw.provider.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the providers, and the parse every frame goes through. */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private Json() {}

    /** Parses a frame's JSON; what does not parse is a {@link WireException} naming where it came from. */
    public static JsonNode parse(String text, String what) throws WireException {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new WireException(what + " is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new WireException(what + " is not JSON (" + e.getOriginalMessage() + "): " + excerpt(text), e);
        }
    }

    /** JSON text of a value. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The first 200 characters, for messages. */
    public static String excerpt(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "...";
    }

    /**
     * The human message of an API error body: {@code error.message} (OpenAI, Anthropic),
     * {@code error} as text (Ollama), {@code message}, else the body's start.
     */
    public static String errorMessage(String body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node != null) {
                JsonNode error = node.path("error");
                if (error.isTextual()) {
                    return error.asText();
                }
                if (error.path("message").isTextual()) {
                    String type = error.path("type").asText("");
                    return (type.isEmpty() ? "" : type + ": ") + error.path("message").asText();
                }
                if (node.path("message").isTextual()) {
                    return node.path("message").asText();
                }
            }
        } catch (JsonProcessingException notJson) {
            // an HTML error page from a proxy, say
        }
        return body.isBlank() ? "(empty body)" : excerpt(body);
    }
}
