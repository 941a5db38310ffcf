package org.crustyclaw.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaFileTest {

    @Test
    void theKeptSchemaIsTheOneTheJarsGiveUntilAJarChanges(@TempDir Path dir) throws IOException {
        Path bundles = Files.createDirectories(dir.resolve("bundle"));
        Path jar = bundles.resolve("echo.jar");
        SchemaTest.writeJar(jar, Map.of("OSGI-INF/metatype/echo.xml", SchemaTest.METATYPE), "policy, sandbox");
        Path file = dir.resolve("state/cache/schema.bin");

        Schema fromJars = Schema.fromJars(List.of(bundles));
        assertThat(SchemaFile.read(List.of(bundles), file)).isEqualTo(fromJars);
        assertThat(file).exists();
        assertThat(SchemaFile.load(file, Schema.signature(List.of(bundles)))).contains(fromJars);
        assertThat(List.copyOf(SchemaFile.read(List.of(bundles), file).ocd("org.crustyclaw.tool.echo").orElseThrow()
                .attributes().keySet())).containsExactly("prefix", "upperCase", "binds", "password");

        SchemaTest.writeJar(jar, Map.of(), "");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        Schema changed = SchemaFile.read(List.of(bundles), file);
        assertThat(changed.byPid()).isEmpty();
        assertThat(changed.handlerSections()).isEmpty();
    }

    @Test
    void aDamagedFileIsReadAgainFromTheJars(@TempDir Path dir) throws IOException {
        Path bundles = Files.createDirectories(dir.resolve("bundle"));
        SchemaTest.writeJar(bundles.resolve("echo.jar"), Map.of("OSGI-INF/metatype/echo.xml", SchemaTest.METATYPE), "");
        Path file = dir.resolve("schema.bin");
        SchemaFile.read(List.of(bundles), file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        assertThat(SchemaFile.read(List.of(bundles), file)).isEqualTo(Schema.fromJars(List.of(bundles)));
        assertThat(SchemaFile.load(file, Schema.signature(List.of(bundles)))).isPresent();
    }
}
