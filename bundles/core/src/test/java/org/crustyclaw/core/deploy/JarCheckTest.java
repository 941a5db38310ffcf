package org.crustyclaw.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarCheckTest {

    static Path jar(Path dir, String name, String bsn, String manifestVersion) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (bsn != null) {
            m.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
        }
        if (manifestVersion != null) {
            m.getMainAttributes().putValue("Bundle-ManifestVersion", manifestVersion);
        }
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
        return file;
    }

    @Test
    void acceptsABundle(@TempDir Path dir) throws IOException {
        assertThat(JarCheck.problem(jar(dir, "ok.jar", "org.example.ok", "2"))).isEmpty();
    }

    @Test
    void namesWhatIsMissing(@TempDir Path dir) throws IOException {
        assertThat(JarCheck.problem(jar(dir, "plain.jar", null, null)))
                .contains("not an OSGi bundle: META-INF/MANIFEST.MF has no Bundle-SymbolicName header");
        assertThat(JarCheck.problem(jar(dir, "old.jar", "org.example.old", "1")))
                .contains("not an OSGi R4+ bundle: Bundle-ManifestVersion is 1, expected 2");
        Path garbage = Files.writeString(dir.resolve("garbage.jar"), "hello");
        assertThat(JarCheck.problem(garbage)).get().asString().startsWith("not a jar file").endsWith("expected a bundle jar");
        assertThat(JarCheck.problem(dir.resolve("missing.jar"))).contains("no such file; expected a bundle jar");
    }
}
