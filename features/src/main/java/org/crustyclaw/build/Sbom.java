package org.crustyclaw.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A CycloneDX 1.5 software bill of materials (JSON) of exactly the jars a distribution
 * ships: every component with its Maven package URL and SHA-256.
 */
final class Sbom {

    /** One shipped jar. */
    record Component(String groupId, String artifactId, String version, Path file, String scope) {}

    private Sbom() {}

    static void write(Path out, String name, String version, List<Component> components) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("bomFormat", "CycloneDX").put("specVersion", "1.5").put("version", 1)
                .put("serialNumber", "urn:uuid:" + UUID.nameUUIDFromBytes((name + version).getBytes()).toString());
        ObjectNode metadata = root.putObject("metadata");
        metadata.put("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        metadata.putObject("component").put("type", "application").put("name", name).put("version", version);
        metadata.putArray("tools").addObject().put("name", "crustyclaw-feature-maven-plugin").put("version", version);
        ArrayNode list = root.putArray("components");
        for (Component c : components) {
            ObjectNode node = list.addObject();
            node.put("type", "library").put("bom-ref", purl(c)).put("group", c.groupId()).put("name", c.artifactId())
                    .put("version", c.version()).put("purl", purl(c)).put("scope", "required");
            node.putArray("hashes").addObject().put("alg", "SHA-256").put("content", sha256(c.file()));
            node.putArray("properties").addObject().put("name", "crustyclaw:location").put("value", c.scope());
        }
        Files.createDirectories(out.getParent());
        json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), root);
    }

    static String purl(Component c) {
        return "pkg:maven/" + c.groupId() + "/" + c.artifactId() + "@" + c.version() + "?type=jar";
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
