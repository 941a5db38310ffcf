package org.crustyclaw.core.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A feature dropped into {@code deploy/}: an OSGi Feature Service 1.0 JSON file whose
 * {@code bundles} are Maven coordinates. Each bundle is looked up in the distribution's
 * {@code bundle/}, in {@code deploy/}, then in the local Maven repository.
 */
final class FeatureFile {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BYTES = 1 << 20;

    /** One bundle of a feature: {@code group:artifact:version}. */
    record Entry(String groupId, String artifactId, String version) {
        String coordinates() {
            return groupId + ":" + artifactId + ":" + version;
        }

        String fileName() {
            return artifactId + "-" + version + ".jar";
        }
    }

    private FeatureFile() {}

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    static List<Entry> read(Path file) {
        JsonNode root;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException("feature file is larger than 1 MiB");
            }
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("not a valid feature JSON file: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject() || !root.path("id").isTextual()) {
            throw new IllegalArgumentException("not a feature: expected a JSON object with an \"id\" and \"bundles\"");
        }
        JsonNode bundles = root.path("bundles");
        if (!bundles.isArray() || bundles.isEmpty()) {
            throw new IllegalArgumentException("feature " + root.get("id").asText()
                    + " has no \"bundles\": expected [{\"id\": \"group:artifact:version\"}, ...]");
        }
        List<Entry> entries = new ArrayList<>();
        for (JsonNode b : bundles) {
            String id = b.isTextual() ? b.asText() : b.path("id").asText("");
            String[] parts = id.split(":");
            if (parts.length != 3 || id.contains("/") || id.contains("..")) {
                throw new IllegalArgumentException("bundle id '" + id + "' is not group:artifact:version");
            }
            entries.add(new Entry(parts[0], parts[1], parts[2]));
        }
        return entries;
    }

    static Optional<Path> locate(Entry entry, List<Path> dirs, Path mavenRepository) {
        for (Path dir : dirs) {
            Path candidate = dir.resolve(entry.fileName());
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        Path inRepo = mavenRepository.resolve(entry.groupId().replace('.', '/')).resolve(entry.artifactId())
                .resolve(entry.version()).resolve(entry.fileName());
        return Files.isRegularFile(inRepo) ? Optional.of(inRepo) : Optional.empty();
    }
}
