package org.crustyclaw.agent.loop;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A model's tool-call arguments are untrusted input: parsed strictly (no duplicate keys, at
 * most {@value #MAX_CHARS} characters, nesting at most 32) and checked against the subset of
 * JSON Schema tool descriptors use: {@code type}, {@code properties}, {@code required},
 * {@code additionalProperties: false}, {@code items}, {@code enum}. Each failure is one
 * sentence naming the argument and what was expected, for the model to read.
 */
final class Arguments {

    static final int MAX_CHARS = 256 * 1024;

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        STRICT.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
    }

    /** Parsed arguments, or the sentence saying why not. */
    sealed interface Parsed permits Valid, Invalid {}

    record Valid(Map<String, Object> arguments) implements Parsed {}

    record Invalid(String reason) implements Parsed {}

    private Arguments() {}

    static Parsed parse(String json, String schema) {
        if (json.length() > MAX_CHARS) {
            return new Invalid("the arguments are " + json.length() + " characters long; at most " + MAX_CHARS
                    + " are accepted");
        }
        JsonNode node;
        try {
            node = STRICT.readTree(json.isBlank() ? "{}" : json);
        } catch (JsonProcessingException e) {
            return new Invalid("the arguments are not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            return new Invalid("the arguments must be a JSON object, not " + (node == null ? "nothing" : kind(node)));
        }
        JsonNode schemaNode;
        try {
            schemaNode = STRICT.readTree(schema);
        } catch (JsonProcessingException e) {
            return new Invalid("the tool's own schema is not valid JSON; it cannot be called");
        }
        List<String> problems = new ArrayList<>();
        check(node, schemaNode, "arguments", problems);
        if (!problems.isEmpty()) {
            return new Invalid(String.join("; ", problems));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = STRICT.convertValue(node, LinkedHashMap.class);
        return new Valid(map);
    }

    private static void check(JsonNode value, JsonNode schema, String where, List<String> problems) {
        if (schema == null || !schema.isObject()) {
            return;
        }
        Optional<String> type = Optional.ofNullable(schema.get("type")).filter(JsonNode::isTextual).map(JsonNode::asText);
        if (type.isPresent() && !matches(value, type.get())) {
            problems.add(where + " must be " + article(type.get()) + ", not " + kind(value));
            return;
        }
        JsonNode allowed = schema.get("enum");
        if (allowed != null && allowed.isArray()) {
            boolean found = false;
            for (JsonNode a : allowed) {
                found |= a.equals(value);
            }
            if (!found) {
                problems.add(where + " must be one of " + allowed + ", not " + value);
            }
        }
        if (value.isObject()) {
            JsonNode props = schema.get("properties");
            JsonNode required = schema.get("required");
            if (required != null && required.isArray()) {
                for (JsonNode r : required) {
                    if (!value.has(r.asText())) {
                        problems.add(where + "." + r.asText() + " is required");
                    }
                }
            }
            JsonNode additional = schema.get("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode sub = props == null ? null : props.get(e.getKey());
                if (sub == null && additional != null && additional.isBoolean() && !additional.asBoolean()) {
                    problems.add(where + "." + e.getKey() + " is not an argument of this tool"
                            + (props == null ? "" : "; it takes " + String.join(", ", names(props))));
                } else if (sub != null) {
                    check(e.getValue(), sub, where + "." + e.getKey(), problems);
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(value.get(i), schema.get("items"), where + "[" + i + "]", problems);
            }
        }
    }

    private static List<String> names(JsonNode props) {
        List<String> out = new ArrayList<>();
        props.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static boolean matches(JsonNode v, String type) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber() || v.isNumber() && v.asDouble() == Math.rint(v.asDouble());
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> true;
        };
    }

    private static String kind(JsonNode v) {
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isTextual()) {
            return "a string";
        }
        if (v.isNumber()) {
            return "a number (" + v + ")";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        return "null";
    }

    private static String article(String type) {
        return (type.matches("[aeiou].*") ? "an " : "a ") + type;
    }
}
