package org.crustyclaw.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureTest {

    @Test
    void readsBundlesWithStartOrderAndVersionsFromProperties(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("f.json"), """
                {"id": "g:f:osgifeature:${v}", "bundles": [
                  {"id": "org.example:a:${v}", "start-order": 3},
                  {"id": "org.example:b:1.0"}]}
                """);
        Feature f = Feature.read(file, Map.of("v", "2.5"));
        assertThat(f.id()).isEqualTo("g:f:osgifeature:2.5");
        assertThat(f.bundles()).containsExactly(new Feature.Bundle("org.example", "a", "2.5", 3),
                new Feature.Bundle("org.example", "b", "1.0", 1));
        assertThat(f.bundles().get(0).fileName()).isEqualTo("a-2.5.jar");
    }

    @Test
    void badFilesNameTheFileAndTheProblem(@TempDir Path dir) throws IOException {
        Path unknown = Files.writeString(dir.resolve("u.json"), "{\"id\": \"x\", \"bundles\": [{\"id\": \"g:a:${nope}\"}]}");
        assertThatThrownBy(() -> Feature.read(unknown, Map.of())).hasMessageContaining("u.json: unknown property ${nope}");
        Path coords = Files.writeString(dir.resolve("c.json"), "{\"id\": \"x\", \"bundles\": [{\"id\": \"g:a\"}]}");
        assertThatThrownBy(() -> Feature.read(coords, Map.of())).hasMessageContaining("'g:a' is not group:artifact:version");
        Path broken = Files.writeString(dir.resolve("b.json"), "{");
        assertThatThrownBy(() -> Feature.read(broken, Map.of())).hasMessageContaining("b.json: not valid JSON");
    }

    @Test
    void sbomListsEveryJarWithPurlAndSha256(@TempDir Path dir) throws IOException {
        Path jar = Files.writeString(dir.resolve("a-1.0.jar"), "abc");
        Path out = dir.resolve("sbom.json");
        Sbom.write(out, "crustyclaw", "1.0", List.of(new Sbom.Component("org.example", "a", "1.0", jar, "bundle")));
        JsonNode root = new ObjectMapper().readTree(out.toFile());
        assertThat(root.get("bomFormat").asText()).isEqualTo("CycloneDX");
        JsonNode c = root.get("components").get(0);
        assertThat(c.get("purl").asText()).isEqualTo("pkg:maven/org.example/a@1.0?type=jar");
        assertThat(c.get("hashes").get(0).get("content").asText())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
