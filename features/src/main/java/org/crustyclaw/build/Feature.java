package org.crustyclaw.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An OSGi Feature Service 1.0 document, reduced to what the distribution needs: its id
 * and its bundles with their start order. {@code ${name}} in ids is replaced from the
 * build's properties so versions stay in the parent POM.
 */
record Feature(String id, String name, List<Bundle> bundles) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    /** A bundle entry: Maven coordinates {@code group:artifact:version} and its start order. */
    record Bundle(String groupId, String artifactId, String version, int startOrder) {

        String fileName() {
            return artifactId + "-" + version + ".jar";
        }

        String coordinates() {
            return groupId + ":" + artifactId + ":" + version;
        }
    }

    static Feature read(Path file, Map<String, String> properties) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        UnaryOperator<String> interpolate = text -> interpolate(file, text, properties);
        String id = required(file, root, "id");
        List<Bundle> bundles = new ArrayList<>();
        JsonNode list = root.path("bundles");
        if (!list.isArray()) {
            throw new IOException(file + ": 'bundles' must be an array of {\"id\": \"group:artifact:version\"}");
        }
        for (JsonNode entry : list) {
            String coordinates = interpolate.apply(required(file, entry, "id"));
            String[] parts = coordinates.split(":");
            if (parts.length != 3) {
                throw new IOException(file + ": bundle id '" + coordinates + "' is not group:artifact:version");
            }
            int order = entry.path("start-order").asInt(1);
            if (order < 1) {
                throw new IOException(file + ": start-order of " + coordinates + " must be at least 1: " + order);
            }
            bundles.add(new Bundle(parts[0], parts[1], parts[2], order));
        }
        return new Feature(interpolate.apply(id), root.path("name").asText(id), List.copyOf(bundles));
    }

    private static String required(Path file, JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IOException(file + ": missing text field '" + field + "' in " + node);
        }
        return value.asText();
    }

    static String interpolate(Path file, String text, Map<String, String> properties) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = properties.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(file + ": unknown property ${" + m.group(1) + "} in '" + text + "'");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    static List<Path> list(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }
}
