package org.crustyclaw.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.crustyclaw.config.toml.Toml;
import org.crustyclaw.config.toml.TomlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {

    static final String METATYPE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <metatype:MetaData xmlns:metatype="http://www.osgi.org/xmlns/metatype/v1.4.0">
              <OCD id="org.crustyclaw.tool.echo" name="Tool: echo" description="The example">
                <AD id="prefix" type="String" default=""/>
                <AD id="upperCase" type="Boolean" default="false"/>
                <AD id="binds" type="String" cardinality="-2147483648" default="/usr,/bin\\,x"/>
                <AD id="password" type="Password"/>
              </OCD>
              <Designate pid="org.crustyclaw.tool.echo"><Object ocdref="org.crustyclaw.tool.echo"/></Designate>
            </metatype:MetaData>
            """;

    @Test
    void readsDesignatedDefinitionsWithTypesDefaultsAndCardinality() throws IOException {
        var ocds = MetatypeReader.read(new ByteArrayInputStream(METATYPE.getBytes(StandardCharsets.UTF_8)), "test.xml");
        assertThat(ocds).singleElement().satisfies(ocd -> {
            assertThat(ocd.pid()).isEqualTo("org.crustyclaw.tool.echo");
            assertThat(ocd.attributes().get("upperCase").type()).isEqualTo("Boolean");
            assertThat(ocd.attributes().get("binds").multiple()).isTrue();
            assertThat(ocd.attributes().get("binds").defaults()).containsExactly("/usr", "/bin,x");
            assertThat(ocd.attributes().get("password").sensitive()).isTrue();
        });
    }

    @Test
    void schemaComesFromBundleJarsAndTheirSectionHeader(@TempDir Path dir) throws IOException {
        writeJar(dir.resolve("echo.jar"), Map.of("OSGI-INF/metatype/echo.xml", METATYPE), "policy, routes");
        Files.writeString(dir.resolve("notes.txt"), "not a jar");
        Schema schema = Schema.fromJars(List.of(dir, dir.resolve("missing")));
        assertThat(schema.byPid()).containsOnlyKeys("org.crustyclaw.tool.echo");
        assertThat(schema.handlerSections()).containsExactlyInAnyOrder("policy", "routes");
    }

    @Test
    void effectiveConfigShowsDefaultsFileValuesAndRedactsSecrets(@TempDir Path dir) throws IOException, TomlException {
        writeJar(dir.resolve("echo.jar"), Map.of("OSGI-INF/metatype/echo.xml", METATYPE), null);
        Schema schema = Schema.fromJars(List.of(dir));
        var root = Toml.parse("[tool.echo]\nupper_case = true\npassword = \"hunter2\"\n", "c.toml");
        var result = ConfigChecker.check(root, schema, Set.of());
        String text = EffectiveConfig.render(schema, result.properties(), root, Set.of());
        assertThat(text).contains("[tool.echo]", "upper_case = true\n", "binds = [\"/usr\", \"/bin,x\"]  # default",
                "password = \"<redacted>\"").doesNotContain("hunter2");
        assertThat(Toml.parse(text, "effective.toml").getPath("tool.echo.upper_case")).isPresent();
    }

    static void writeJar(Path jar, Map<String, String> entries, String sections) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (sections != null) {
            manifest.getMainAttributes().putValue(Schema.SECTIONS_HEADER, sections);
        }
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }
}
