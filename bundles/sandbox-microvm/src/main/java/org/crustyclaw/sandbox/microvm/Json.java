package org.crustyclaw.sandbox.microvm;

import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON of the Firecracker API, on the Jackson the distribution ships: writing an object
 * of strings, integers and booleans; reading an object (answers come from a process we do
 * not trust) strictly: one object and nothing after it, no duplicate keys, bounded nesting.
 */
final class Json {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};
    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build()).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {}

    /** One line of JSON, keys in the map's order, no spaces. */
    static String write(Map<String, ?> object) {
        for (Map.Entry<String, ?> e : object.entrySet()) {
            Object v = e.getValue();
            if (!(v instanceof String || v instanceof Integer || v instanceof Long || v instanceof Boolean)) {
                throw new IllegalArgumentException("JSON value of '" + e.getKey() + "' is a "
                        + (v == null ? "null" : v.getClass().getSimpleName()) + ", expected a string, integer or boolean");
            }
        }
        try {
            return MAPPER.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Parses a JSON object into maps, lists, strings, {@code Long}/{@code Double}, booleans and null.
     *
     * @throws IllegalArgumentException naming the offset and what was wrong
     */
    static Map<String, Object> parseObject(String text) {
        try {
            if (!text.stripLeading().startsWith("{")) {
                throw new IllegalArgumentException("expected a JSON object at offset 0, found "
                        + (text.isBlank() ? "nothing" : "'" + text.strip().charAt(0) + "'"));
            }
            return MAPPER.readValue(text, OBJECT);
        } catch (JsonProcessingException e) {
            long offset = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
            throw new IllegalArgumentException("invalid JSON at offset " + offset + ": " + e.getOriginalMessage(), e);
        }
    }
}
